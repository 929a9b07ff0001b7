// Marks the page as able to run GOV.UK Frontend's JavaScript, before anything renders.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
