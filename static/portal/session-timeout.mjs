// Warns signed-in people before their session ends and lets them extend it
// (WCAG 2.2.1 Timing Adjustable). The server ends an idle session after
// SESSION_TIMEOUT_MINUTES; every request, including "Stay signed in", renews it.

function describe(seconds) {
  if (seconds >= 60) {
    const minutes = Math.ceil(seconds / 60);
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}

function csrfToken() {
  const field = document.querySelector("#sign-out-form input[name=csrfmiddlewaretoken]");
  return field ? field.value : "";
}

export function startSessionTimeout(dialog) {
  if (!dialog || typeof dialog.showModal !== "function") return;
  const timeout = Number(dialog.dataset.timeoutSeconds);
  const warning = Number(dialog.dataset.warningSeconds);
  if (!timeout || !warning) return;

  const countdown = dialog.querySelector("[data-countdown]");
  const announce = dialog.querySelector("[data-countdown-announce]");
  const stayButton = dialog.querySelector("[data-stay-signed-in]");
  const signOutButton = dialog.querySelector("[data-sign-out-now]");
  let deadline = Date.now() + timeout * 1000;
  let tick = null;
  let lastAnnounced = null;
  let returnFocusTo = null;

  function signOut() {
    const form = document.createElement("form");
    form.method = "post";
    form.action = document.getElementById("sign-out-form").action;
    for (const [name, value] of [["csrfmiddlewaretoken", csrfToken()], ["next", dialog.dataset.signedOutUrl]]) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
  }

  function update() {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (left <= 0) {
      clearInterval(tick);
      signOut();
      return;
    }
    if (left <= warning && !dialog.open) {
      returnFocusTo = document.activeElement;
      dialog.showModal();
      stayButton.focus();
    }
    if (dialog.open) {
      const text = describe(left);
      countdown.textContent = text;
      // Announce every 20 seconds rather than every second, so screen readers are not flooded.
      if (lastAnnounced === null || left % 20 === 0 || left <= 10 && lastAnnounced !== text && left % 5 === 0) {
        announce.textContent = `We will sign you out in ${text}.`;
        lastAnnounced = text;
      }
    }
  }

  async function stay() {
    try {
      const response = await fetch(dialog.dataset.extendUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      });
      if (!response.ok && response.status !== 204) throw new Error(String(response.status));
      deadline = Date.now() + timeout * 1000;
      lastAnnounced = null;
      dialog.close();
      if (returnFocusTo && typeof returnFocusTo.focus === "function") returnFocusTo.focus();
    } catch (error) {
      signOut();
    }
  }

  stayButton.addEventListener("click", stay);
  signOutButton.addEventListener("click", signOut);
  // Escape closes a modal dialog; treat it as "stay signed in" rather than leaving a ticking clock hidden.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stay();
  });
  tick = setInterval(update, 1000);
}
