// Copy buttons: <button data-copy-target="#id">. Falls back to selecting the text.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copyTarget);
  if (!source) return;
  const text = source.value ?? source.textContent;
  const label = button.querySelector("[data-copy-label]") || button;
  const original = label.textContent;
  try {
    await navigator.clipboard.writeText(text.trim());
    label.textContent = "Copied";
  } catch {
    if (source.select) source.select();
    label.textContent = "Press Ctrl+C";
  }
  setTimeout(() => { label.textContent = original; }, 2000);
});
