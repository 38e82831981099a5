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
