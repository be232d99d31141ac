// iamport-py as an ES module, with the exports of Iamport's iamport.esm.js (1.3):
//
//   import * as IMP from "https://SERVICE/web/imp.esm.js";
//   IMP.init("imp12345678");
//   IMP.request_pay({channelKey: "channel-key-…", amount: 1000, name: "Test order"},
//                   (rsp) => console.log(rsp.success, rsp.imp_uid, rsp.error_code));
//
// The SDK and its boot are imp.js's (imported below, run with this module's URL): MicroPython,
// or Pyodide with `imp.esm.js?interpreter=pyodide`, from the folder above this one; the
// service is `?service=<url>`, else this module's origin, else init's `service` option.
// Calls made before Python is ready are queued in order and replayed. Types: imp.esm.d.ts.
//
// A page has one SDK: when window.IMP is already iamport-py's (imp.js's tag, or this module
// imported under another URL), the exports call it; otherwise the boot installs window.IMP
// too, which the exports call.
//
// iamport.esm.js's exports iamport_py has no equivalent of end with UNKNOWN_METHOD (the
// SDK's code for a method it does not have): loadUI, which takes a callback, through its
// callback (or its Promise, without one); naver_zzim, communicate and updateLoadUIRequest by
// throwing an Error whose `code` is UNKNOWN_METHOD; loadModule by a rejected Promise of
// that Error (it is async in iamport.esm.js).
import "./imp.js";

const here = new URL(import.meta.url);
const options = here.searchParams;
const sdk = window.IMP && window.IMP.sdk === "iamport-py"
  ? { IMP: window.IMP, service: options.get("service") || here.origin, prefetchSettings: null }
  : globalThis.__iamportBoot({
    src: here.href,
    dataset: { service: options.get("service") || "",
               interpreter: options.get("interpreter") || "" },
  });
const IMP = sdk.IMP;

// [Korean, English] of iamport_py/errors.py's codes answered here (no Python runs for them),
// and the SDK's versioned name: written in by the sandbox and export-assets.
const MESSAGES = /* messages NOT_INITIALIZED UNKNOWN_METHOD */ null;
const SDK_VERSION = /* sdk version */ null;

let service = sdk.service; // the latest init's `service` option, else the default
let initialized = true; // false from deinit() to the next init() or agency()

function message(code, language, details) {
  return MESSAGES[code][language === "en" ? 1 : 0]
    .replace(/\{(\w+)\}/g, (field, name) => (name in details ? String(details[name]) : field));
}

// A request that ends here: its one rsp, through the callback or the Promise, never before
// the call has returned (as every request of the SDK).
function refuse(code, details, param, callback) {
  const given = param !== null && typeof param === "object" ? param : {};
  const rsp = {
    success: false, imp_uid: null, merchant_uid: given.merchant_uid ?? null,
    error_code: code, error_msg: message(code, given.language, details),
  };
  if (typeof callback === "function") {
    queueMicrotask(() => callback(rsp));
    return undefined;
  }
  console.info("[iamport_py] request ended without a callback: " + JSON.stringify(rsp));
  return Promise.resolve(rsp);
}

class UnknownMethodError extends Error {
  constructor(method) {
    super(message("UNKNOWN_METHOD", "en", { method }));
    this.name = "UnknownMethodError";
    this.code = "UNKNOWN_METHOD";
  }
}

function configured(options) {
  initialized = true;
  service = options && typeof options.service === "string" ? options.service : sdk.service;
}

export function init(userCode, options) {
  configured(options);
  // The settings request starts now, as imp.js's data-user-code starts it, not once Python
  // has booted: the SDK takes this answer for the same URL.
  if (sdk.prefetchSettings && typeof userCode === "string" && /^https?:\/\//.test(service)) {
    sdk.prefetchSettings(userCode, service);
  }
  IMP.init(userCode, options);
}

export function agency(userCode, tierCode, options) {
  configured(options);
  IMP.agency(userCode, tierCode, options);
}

export function request_pay(param, callback) {
  if (!initialized) return refuse("NOT_INITIALIZED", {}, param, callback);
  return IMP.request_pay(param, callback);
}

export function certification(param, callback) {
  if (!initialized) return refuse("NOT_INITIALIZED", {}, param, callback);
  return IMP.certification(param, callback);
}

export function close() {
  IMP.close();
}

// Closes the open window (its request ends with F0005) and forgets the merchant: requests end
// with NOT_INITIALIZED until the next init() or agency().
export function deinit() {
  initialized = false;
  IMP.close();
}

// PortOne's UI-rendering flows (PayPal's buttons): iamport_py opens windows only.
export function loadUI(type, param, callback) {
  return refuse("UNKNOWN_METHOD", { method: "loadUI" }, param, callback);
}

export function updateLoadUIRequest() {
  throw new UnknownMethodError("updateLoadUIRequest");
}

export async function loadModule() {
  throw new UnknownMethodError("loadModule");
}

// Naver Pay's wish-list (zzim) window.
export function naver_zzim() {
  throw new UnknownMethodError("naver_zzim");
}

// iamport.js's own channel to its windows; iamport_py's windows speak postMessage (design 3).
export function communicate() {
  throw new UnknownMethodError("communicate");
}

// iamport.esm.js's settings; read-only here. CORE_SERVER: the service the settings and
// windows come from; SDK_VERSION: iamport-py@<version>-<hash of the SDK's files>.
export const slots = Object.freeze({
  get CORE_SERVER() { return service; },
  SDK_VERSION,
});

export default Object.freeze({
  init, agency, request_pay, certification, close, deinit, loadUI, updateLoadUIRequest,
  loadModule, naver_zzim, communicate,
});
