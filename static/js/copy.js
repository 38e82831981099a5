// A button marked data-copy="<id>" copies the value of the field of that id, and says so; it is
// hidden until this script shows it, so that a browser without scripts offers no dead button.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) {
    return;
  }
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    field.select();
    await navigator.clipboard.writeText(field.value);
    button.textContent = button.dataset.copied;
    setTimeout(() => {
      button.textContent = label;
    }, 3000);
  });
});
