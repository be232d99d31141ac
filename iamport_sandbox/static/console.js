// The console's copy buttons: <button data-copy="ID"> copies the text of element ID (a
// channel key). The clipboard API needs a secure context (https or localhost); elsewhere
// the text is selected so that Ctrl+C copies it.
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  const done = () => {
    button.textContent = button.dataset.copied || "Copied";
    button.dataset.state = "copied";
  };
  const select = () => {
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    button.dataset.state = "selected";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.textContent.trim()).then(done, select);
  } else {
    select();
  }
});
