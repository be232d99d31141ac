// iamport-py for plain JavaScript pages: one tag installs window.IMP.
//
//   <script src="https://SERVICE/web/imp.js" data-user-code="imp12345678"></script>
//
// It boots PyScript (MicroPython by default; data-interpreter="pyodide" for Pyodide)
// from the folder above its own (../runtime/, ../sdk/: the sandbox's URL paths and a
// self-hosted copy's, under any prefix), loads the Python SDK, and routes IMP.init / agency /
// request_pay / certification / close to it. window.IMP exists as soon as this tag
// has run; calls made before Python is ready are queued in order and replayed.
// The service is data-service, else the origin that served this file.
// IMP.request_pay(param) / IMP.certification(param) without a callback return a Promise
// of the rsp; with a callback they return undefined, as iamport.js does.
(() => {
  "use strict";
  if (window.IMP && window.IMP.sdk === "iamport-py") return;

  const tag = document.currentScript;
  const here = new URL(tag.src, location.href);
  const service = tag.dataset.service || here.origin;
  const asset = (path) => new URL("../" + path, here).href;
  const pyodide = tag.dataset.interpreter === "pyodide";
  const queue = [];
  let dispatch = null;

  function send(method, argsJson, respond) {
    if (dispatch === null) queue.push([method, argsJson, respond]);
    else if (respond) dispatch(method, argsJson, respond);
    else dispatch(method, argsJson);
  }

  function withService(args, index) {
    const options = Object.assign({ service }, args[index] || {});
    args[index] = options;
    return args;
  }

  function call(method, args, callback, note) {
    // Serialised now, so a queued call keeps the values it was made with.
    const argsJson = JSON.stringify(args);
    const respond = callback ? (rspJson) => {
      if (note) console.info(note + rspJson);
      callback(JSON.parse(rspJson));
    } : null;
    send(method, argsJson, respond);
  }

  // With a callback: undefined, as iamport.js. Without: a Promise of the rsp (it never
  // rejects: every failure is an rsp with success false, as the callback gets it), and the
  // rsp in the console too, for pages that call it the iamport.js way and ignore the result.
  function request(method, param, callback) {
    if (typeof callback === "function") {
      call(method, [param], callback);
      return undefined;
    }
    return new Promise((resolve) => call(method, [param], resolve,
                                         "[iamport_py] request ended without a callback: "));
  }

  const IMP = {
    sdk: "iamport-py",
    init: (userCode, options) => { call("init", withService([userCode, options], 1)); },
    agency: (userCode, tierCode, options) => {
      call("agency", withService([userCode, tierCode, options], 2));
    },
    request_pay: (param, callback) => request("request_pay", param, callback),
    certification: (param, callback) => request("certification", param, callback),
    close: () => { call("close", []); },
  };
  window.IMP = IMP;

  // Called once by iamport_py.browser.install_js_api with the Python dispatcher.
  window.__iamportInstall = (pythonDispatch) => {
    dispatch = pythonDispatch;
    for (const [method, argsJson, respond] of queue.splice(0)) send(method, argsJson, respond);
    window.dispatchEvent(new CustomEvent("iamport:ready"));
  };

  if (tag.dataset.userCode) IMP.init(tag.dataset.userCode);

  const runtime = pyodide ? "runtime/pyodide/pyodide.mjs" : "runtime/micropython/micropython.mjs";
  const config = {
    interpreter: asset(runtime),
    files: { [asset("sdk/iamport_py.zip")]: "./*" },
    js_modules: { main: { [asset("web/iamport-bridge.mjs")]: "iamport_bridge" } },
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
    import(asset("runtime/pyscript/core.js"));
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
})();
