// The browser half of iamport_py's bridge (iamport_py/browser.py is the Python half).
// It keeps DOM work in JavaScript and passes only strings, numbers and booleans across
// the Python/JS boundary, which Pyodide and MicroPython convert the same way.

const windows = new Map(); // handle (number) -> {kind, close(), target()}
let nextHandle = 1;

export function now() {
  return Date.now();
}

export function pageUrl() {
  return location.href;
}

export function isMobile() {
  if (navigator.userAgentData && typeof navigator.userAgentData.mobile === "boolean") {
    return navigator.userAgentData.mobile;
  }
  return /Mobi|Android|iPhone|iPad|iPod/i.test(navigator.userAgent);
}

export function log(level, message) {
  const write = console[level] || console.log;
  write.call(console, `[iamport_py] ${message}`);
}

// GET a URL; onDone(true, bodyText) when the body is there (whatever the status: the
// settings endpoint answers errors as JSON too), onDone(false, reason) otherwise.
export function fetchText(url, timeoutMs, onDone) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  fetch(url, { signal: controller.signal, credentials: "omit", cache: "no-store" })
    .then(async (answer) => {
      const text = await answer.text();
      const json = (answer.headers.get("content-type") || "").includes("json");
      if (!answer.ok && !json) onDone(false, `HTTP ${answer.status}`);
      else onDone(true, text);
    })
    .catch((error) => {
      onDone(false, controller.signal.aborted ? `timed out after ${timeoutMs} ms` : String(error.message || error));
    })
    .finally(() => clearTimeout(timer));
}

const OVERLAY_STYLE = "position:fixed;inset:0;z-index:2147483647;background:rgba(15,18,30,.55);" +
  "display:flex;align-items:center;justify-content:center;";
const FRAME_BOX_STYLE = "position:relative;width:min(480px,100vw);height:min(720px,100vh);" +
  "background:#fff;border-radius:12px;overflow:hidden;box-shadow:0 20px 60px rgba(0,0,0,.35);";
const CLOSE_STYLE = "position:absolute;top:8px;right:10px;z-index:1;border:0;background:rgba(255,255,255,.9);" +
  "border-radius:50%;width:32px;height:32px;font-size:20px;line-height:32px;cursor:pointer;";

// The payment window as an iframe in a full-page overlay; closes on its button or Escape.
export function openOverlay(url, onClosed) {
  const handle = nextHandle++;
  const overlay = document.createElement("div");
  overlay.className = "iamport-overlay";
  overlay.setAttribute("style", OVERLAY_STYLE);
  overlay.dataset.iamportHandle = String(handle);
  overlay.setAttribute("role", "dialog");
  overlay.setAttribute("aria-modal", "true");
  overlay.setAttribute("aria-label", "결제창 · Payment window");
  const box = document.createElement("div");
  box.setAttribute("style", FRAME_BOX_STYLE);
  const close = document.createElement("button");
  close.type = "button";
  close.className = "iamport-close";
  close.setAttribute("aria-label", "결제창 닫기 · Close the payment window");
  close.setAttribute("style", CLOSE_STYLE);
  close.textContent = "×";
  const frame = document.createElement("iframe");
  frame.className = "iamport-frame";
  frame.title = "Payment window";
  frame.setAttribute("style", "border:0;width:100%;height:100%;");
  frame.src = url;
  box.append(close, frame);
  overlay.append(box);

  const userClose = () => { if (windows.has(handle)) { shut(handle); onClosed(); } };
  const onKey = (event) => { if (event.key === "Escape") userClose(); };
  close.addEventListener("click", userClose);
  document.addEventListener("keydown", onKey);
  windows.set(handle, {
    kind: "iframe",
    target: () => frame.contentWindow,
    close: () => { document.removeEventListener("keydown", onKey); overlay.remove(); },
  });
  document.body.append(overlay);
  close.focus();
  return handle;
}

// The payment window as a popup; 0 when the browser blocked it. Polls for the user closing it.
export function openPopup(url, onClosed) {
  const handle = nextHandle++;
  const popup = window.open(url, `iamport_${handle}`, "width=480,height=720,noopener=no");
  if (!popup) return 0;
  const timer = setInterval(() => {
    if (popup.closed && windows.has(handle)) { shut(handle); onClosed(); }
  }, 250);
  windows.set(handle, {
    kind: "popup",
    target: () => popup,
    close: () => { clearInterval(timer); if (!popup.closed) popup.close(); },
  });
  return handle;
}

function shut(handle) {
  const entry = windows.get(handle);
  if (!entry) return;
  windows.delete(handle);
  entry.close();
}

export function closeWindow(handle) {
  shut(handle);
}

export function post(handle, message, targetOrigin) {
  const entry = windows.get(handle);
  const target = entry && entry.target();
  if (target) target.postMessage(message, targetOrigin);
}

export function navigate(url) {
  location.assign(url);
}

// Every message the page receives, as (origin, data-or-null): non-string data is
// dropped here, because the protocol's payloads are JSON strings.
export function listen(onMessage) {
  window.addEventListener("message", (event) => {
    onMessage(String(event.origin), typeof event.data === "string" ? event.data : null);
  });
}

// A promise and its resolve function, for `await IMP.pay(...)`.
export function deferred() {
  let resolve;
  const promise = new Promise((done) => { resolve = done; });
  return { promise, resolve: () => resolve(true) };
}
