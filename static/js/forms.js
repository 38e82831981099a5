// A second click on a button marked data-prevent-double-submit sends nothing: the first
// click's request is on its way. The server refuses a repeat anyway; this spares the wait.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  if (!button || !button.hasAttribute("data-prevent-double-submit")) {
    return;
  }
  if (button.dataset.submitted) {
    event.preventDefault();
    return;
  }
  button.dataset.submitted = "true";
  button.setAttribute("aria-disabled", "true");
});

// A folded list of answers (details marked data-chosen-summary) says in its summary what is chosen
// in it, as the choice changes; the page says the same when it is loaded.
document.addEventListener("change", (event) => {
  const input = event.target;
  const details = input.closest && input.closest("details[data-chosen-summary]");
  if (!details || input.type !== "radio") {
    return;
  }
  const summary = details.querySelector("summary");
  let chosen = summary.querySelector(".community-chosen");
  if (!input.dataset.chosen) {
    chosen?.remove();
    return;
  }
  if (!chosen) {
    chosen = document.createElement("span");
    chosen.className = "community-chosen";
    summary.append(chosen);
  }
  chosen.textContent = `: ${input.dataset.chosen}`;
});
