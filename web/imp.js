// iamport-py for plain JavaScript pages: one tag installs window.IMP.
//
//   <script src="https://SERVICE/web/imp.js" data-user-code="imp12345678"></script>
//
// It boots PyScript (MicroPython by default; data-interpreter="pyodide" for Pyodide)
// from the same origin, loads the Python SDK, and routes IMP.init / agency /
// request_pay / certification / close to it. window.IMP exists as soon as this tag
// has run; calls made before Python is ready are queued in order and replayed.
(() => {
  "use strict";
  if (window.IMP && window.IMP.sdk === "iamport-py") return;

  const tag = document.currentScript;
  const origin = new URL(tag.src, location.href).origin;
  const pyodide = tag.dataset.interpreter === "pyodide";
  const queue = [];
  let dispatch = null;

  function send(method, argsJson, respond) {
    if (dispatch === null) queue.push([method, argsJson, respond]);
    else if (respond) dispatch(method, argsJson, respond);
    else dispatch(method, argsJson);
  }

  // The service defaults to the origin that served this file.
  function withService(args, index) {
    const options = Object.assign({ service: origin }, args[index] || {});
    args[index] = options;
    return args;
  }

  function call(method, args, takesCallback) {
    const callback = takesCallback && typeof args[args.length - 1] === "function" ? args.pop() : null;
    // Serialised now, so a queued call keeps the values it was made with.
    const argsJson = JSON.stringify(args);
    const respond = callback ? (rspJson) => callback(JSON.parse(rspJson)) : null;
    send(method, argsJson, respond);
  }

  const IMP = {
    sdk: "iamport-py",
    init: (userCode, options) => call("init", withService([userCode, options], 1), false),
    agency: (userCode, tierCode, options) =>
      call("agency", withService([userCode, tierCode, options], 2), false),
    request_pay: (param, callback) => call("request_pay", [param, callback], true),
    certification: (param, callback) => call("certification", [param, callback], true),
    close: () => call("close", [], false),
  };
  window.IMP = IMP;

  // Called once by iamport_py.browser.install_js_api with the Python dispatcher.
  window.__iamportInstall = (pythonDispatch) => {
    dispatch = pythonDispatch;
    for (const [method, argsJson, respond] of queue.splice(0)) send(method, argsJson, respond);
    window.dispatchEvent(new CustomEvent("iamport:ready"));
  };

  if (tag.dataset.userCode) IMP.init(tag.dataset.userCode);

  const runtime = pyodide ? "/runtime/pyodide/pyodide.mjs" : "/runtime/micropython/micropython.mjs";
  const config = {
    interpreter: origin + runtime,
    files: { [origin + "/sdk/iamport_py.zip"]: "./*" },
    js_modules: { main: { [origin + "/web/iamport-bridge.mjs"]: "iamport_bridge" } },
  };
  const boot = document.createElement("script");
  boot.type = pyodide ? "py" : "mpy";
  boot.setAttribute("config", JSON.stringify(config));
  boot.textContent = [
    "from iamport_py import IMP",
    "from iamport_py.browser import install_js_api",
    "install_js_api(IMP)",
  ].join("\n");
  const start = () => {
    document.body.append(boot);
    import(origin + "/runtime/pyscript/core.js");
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();
