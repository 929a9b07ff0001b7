import { initAll } from "/static/govuk/govuk-frontend.min.js";
import { startSessionTimeout } from "/static/portal/session-timeout.mjs";

initAll();
startSessionTimeout(document.getElementById("session-timeout"));
