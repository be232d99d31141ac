"""TypeScript declarations of ``window.IMP`` and imp.esm.js, written from the SDK's tables.

``python -m iamport_sandbox.typings`` writes ``web/imp.esm.d.ts`` (the name
TypeScript looks for beside ``imp.esm.js``); ``--check`` only says whether the file is
up to date (``tests/test_typings.py`` checks the same, so it never drifts).

The union types come from the SDK, one source each: the PG codes, pay methods,
currencies and languages from :mod:`iamport_py.catalog`; the error codes from
:mod:`iamport_py.errors`; the response's fields from :data:`iamport_py.response.WINDOW_FIELDS`.
The parameters are :data:`PAY_PARAMS` and :data:`CERTIFICATION_PARAMS` below (their TS
types and docs), and the test holds them to what :mod:`iamport_py.validation` checks
and to the catalog's per-PG rules. Standard library, ``iamport_py`` and
:mod:`iamport_sandbox.assets.layout` (where ``web/`` is) only.
"""

import argparse
import difflib
import os
import sys
from collections.abc import Iterable
from typing import Any

from iamport_py import catalog, errors, response
from iamport_sandbox.assets.layout import TYPINGS, web_dir

# (name, TypeScript type, doc) of a parameter or a field.
Field = tuple[str, str, str]

TARGET = os.path.join(web_dir(), TYPINGS)

# (name, TypeScript type, doc). A ``?`` after the name: optional. The types name the unions
# written from the catalog (PgValue, PayMethod, Currency, Language).
PAY_PARAMS = (
    (
        "channelKey?",
        "string",
        "The channel key of the PG setting to pay through (the console's integration page): an "
        "exact reference that wins over `pg`. An unknown key ends the request, no fallback.",
    ),
    (
        "pg?",
        "PgValue",
        '@deprecated Replaced by `channelKey`. The PG setting by service code (`"kakaopay"`) or '
        'code and PG merchant ID (`"html5_inicis.MID-b"`); empty: the default PG; no match: '
        "the default PG, with a console warning.",
    ),
    (
        "pay_method?",
        "PayMethod",
        "One the chosen PG supports; default `card`, or the PG's own when it has none.",
    ),
    (
        "merchant_uid?",
        "string",
        "The order number, unique per payment, at most 40 characters; default a generated one.",
    ),
    ("name?", "string", "The order name."),
    (
        "amount",
        "number",
        "The amount, a number (never a string); > 0, or 0 with `customer_uid` (a billing key "
        "alone); whole won for KRW, at most the currency's minor units otherwise.",
    ),
    ("currency?", "Currency | Lowercase<Currency>", "One the PG supports; default its first."),
    ("language?", "Language", "The window's language, one the PG offers; default init's."),
    ("tax_free?", "number", "The tax-free part of `amount` (0 … amount)."),
    ("vat_amount?", "number", "The VAT part of `amount` (0 … amount)."),
    ("custom_data?", "JsonValue", "Any JSON data, echoed in the response and the record."),
    ("buyer_name?", "string", "The buyer's name."),
    ("buyer_tel?", "string", "The buyer's phone number (some PGs require it)."),
    ("buyer_email?", "string", "The buyer's e-mail (some PGs require it)."),
    ("buyer_addr?", "string", "The buyer's address."),
    ("buyer_postcode?", "string", "The buyer's postcode."),
    (
        "confirm_url?",
        "string",
        "Your endpoint asked to confirm the payment before it is approved (confirm process).",
    ),
    (
        "notice_url?",
        "string | string[]",
        "Webhook URL(s) for this payment, instead of the console's.",
    ),
    (
        "m_redirect_url?",
        "string",
        "Where a mobile page returns after a redirecting window, with `imp_uid`, "
        "`merchant_uid` and `imp_success` in the query; the callback is not called then.",
    ),
    ("app_scheme?", "string", "The app's URL scheme, to come back from card apps (WebViews)."),
    (
        "customer_uid?",
        "string",
        "The billing key's id: with it the window issues a billing key (required by "
        "billing-only PGs).",
    ),
    ("customer_id?", "string", "Your id of the buyer, stored with a billing key."),
    ("digital?", "boolean", 'Digital goods; required with `pay_method: "phone"`.'),
    (
        "vbank_due?",
        "string",
        "Required with `vbank`: YYYYMMDD, YYYY-MM-DD, YYYYMMDDHHmm, YYYYMMDDHHmmss or "
        "YYYY-MM-DD HH:mm:ss.",
    ),
    (
        "biz_num?",
        "string",
        "A business registration number, 10 digits (hyphens allowed): Danal's virtual accounts.",
    ),
    ("escrow?", "boolean", "An escrow payment (some PGs)."),
    ("popup?", "boolean", "A popup instead of the overlay."),
    (
        "products?",
        "Array<{ id?: string; name?: string; code?: string; unitPrice?: number; "
        "quantity?: number }>",
        "The products of an escrow order (Toss Payments).",
    ),
    ("display?", "{ card_quota?: number[] }", "The instalment months the card window offers."),
    (
        "card?",
        "{ direct?: { code?: string; quota?: number }; "
        "detail?: Array<{ card_code?: string; enabled?: boolean; max_month?: number }> }",
        "Open a card company's window directly, or choose the cards offered.",
    ),
    ("useFreeInterestFromMall?", "boolean", "Interest-free instalments paid by the shop."),
    ("bypass?", "{ [pg: string]: JsonValue }", "PG-specific parameters, passed on as they are."),
    ("naverProducts?", "Array<{ [key: string]: JsonValue }>", "Naver Pay: the products."),
    ("naverPopupMode?", "boolean", "Naver Pay: its popup mode."),
    ("naverCultureBenefit?", "boolean", "Naver Pay: culture benefit (income tax deduction)."),
    ("naverUseCfm?", "string", "Naver Pay: the date of use, YYYYMMDD."),
    ("naverPurchaserName?", "string", "Naver Pay: the purchaser's name."),
    ("naverPurchaserBirthday?", "string", "Naver Pay: the purchaser's birthday, YYYYMMDD."),
)
"""``request_pay``'s parameters: the SDK's, and PortOne's reference (``payrq``)."""

CERTIFICATION_PARAMS = (
    ("channelKey?", "string", "The channel key of the certification setting (see request_pay)."),
    (
        "pg?",
        "CertificationPgValue",
        "@deprecated Replaced by `channelKey`. The certification setting by service code or "
        "`code.MID`.",
    ),
    ("merchant_uid?", "string", "The order number; default a generated one."),
    ("name?", "string", "The person's name, filled in the window (Danal)."),
    ("phone?", "string", "The person's phone number, filled in the window (Danal)."),
    ("carrier?", '"SKT" | "KTF" | "LGT" | "MVNO"', "The carrier offered (Danal)."),
    ("company?", "string", "The service's name or URL, shown to the person."),
    ("min_age?", "number", "The minimum age, a whole number (Danal)."),
    ("popup?", "boolean", "A popup instead of the overlay."),
    (
        "m_redirect_url?",
        "string",
        "Where a mobile page returns, with `imp_uid`, `merchant_uid` and `success` in the query.",
    ),
    ("language?", "Language", "The window's language."),
    ("custom_data?", "JsonValue", "Any JSON data, echoed in the response."),
)
"""``certification``'s parameters (PortOne's reference, ``cft``)."""

INIT_OPTIONS = (
    (
        "service?",
        "string",
        "The service's URL: Iamport's in production, a sandbox while testing; default the "
        "origin imp.js / imp.esm.js was served from.",
    ),
    ("language?", '"ko" | "en"', "The default language of windows and messages."),
    ("timeout_ms?", "number", "How long the settings may take to load (default 10000)."),
    ("window_timeout_ms?", "number", "How long a window may take to load (default 15000)."),
    (
        "preload_windows?",
        "number | false",
        "How many settings' windows to load ahead (default 4, at most 10, 0 or false: none).",
    ),
)
"""``IMP.init``'s options (:meth:`iamport_py.imp.Iamport.init`)."""

ALWAYS = (
    ("success", "boolean", "Whether the payment (or certification) succeeded."),
    ("imp_uid", "string | null", "Iamport's id of the payment; null when no record exists."),
    ("merchant_uid", "string | null", "The order number."),
    (
        "error_code",
        "ErrorCode | (string & {}) | null",
        "Why it failed: one of the SDK's codes, or a PG's own; null on success.",
    ),
    ("error_msg", "string | null", "The message of `error_code`, in the request's language."),
)
"""The fields every ``rsp`` has."""

RESPONSE_TYPES = {
    "pay_method": ("PayMethod | (string & {})", "How it was paid."),
    "paid_amount": ("number", "The amount paid."),
    "status": (
        '"paid" | "ready" | "failed" | (string & {})',
        "`paid`; `ready` (an issued virtual account, not paid yet); `failed`.",
    ),
    "name": ("string", "The order name."),
    "pg_provider": ("PgCode | (string & {})", "The PG that took the payment."),
    "pg_id": ("string", "The PG merchant ID of the setting used."),
    "pg_tid": ("string", "The PG's transaction id."),
    "pg_type": ('"payment" | "certification"', "The setting's type."),
    "currency": ("Currency | (string & {})", "The currency."),
    "buyer_name": ("string", "As requested."),
    "buyer_email": ("string", "As requested."),
    "buyer_tel": ("string", "As requested."),
    "buyer_addr": ("string", "As requested."),
    "buyer_postcode": ("string", "As requested."),
    "custom_data": ("JsonValue", "As requested."),
    "paid_at": ("number", "When it was paid (UNIX time, seconds)."),
    "receipt_url": ("string", "The receipt's URL."),
    "apply_num": ("string", "The card approval number."),
    "card_name": ("string", "The card company."),
    "card_number": ("string", "The card number, masked."),
    "card_quota": ("number", "Instalment months (0: paid at once)."),
    "vbank_num": ("string", "The virtual account's number."),
    "vbank_name": ("string", "The virtual account's bank."),
    "vbank_holder": ("string", "The virtual account's holder."),
    "vbank_date": ("number", "The virtual account's deadline (UNIX time, seconds)."),
    "vbank_code": ("string", "The virtual account's bank code."),
    "customer_uid": ("string", "The billing key's id, when one was issued."),
    "certified": ("boolean", "Certification: whether the person was verified."),
    "unique_key": ("string", "Certification: the person's unique key (CI)."),
}
"""TS types and docs of :data:`iamport_py.response.WINDOW_FIELDS` (every field must be here)."""

HEADER = """\
// Generated by `python -m iamport_sandbox.typings` from iamport_py's catalog, errors and
// response tables: do not edit (tests/test_typings.py checks it is up to date).
//
// TypeScript declarations of iamport-py's ES module and of window.IMP:
//
//   import * as IMP from "./imp.esm.js";   // this file, beside it, types the module
//
//   /// <reference path="./imp.esm.d.ts" />  // or in tsconfig "files": types window.IMP
//   IMP.request_pay({ channelKey: "channel-key-…", amount: 1000 }, (rsp) => rsp.success);
"""


def _union(values: Iterable[str]) -> str:
    once = list(dict.fromkeys(values))  # in first-seen order, once each
    return "\n".join('  | "{}"'.format(value) for value in once)


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = word if not line else line + " " + word
    return lines + [line]


def _doc(text: str, indent: str = "", items: Iterable[str] = ()) -> str:
    """A JSDoc comment of ``text`` wrapped at 100 columns, then ``items`` as a list."""
    lines = _wrap(text, 100 - len(indent) - 3)
    for item in items:
        wrapped = _wrap(item, 100 - len(indent) - 5)
        lines += ["- " + wrapped[0]] + ["  " + rest for rest in wrapped[1:]]
    if len(lines) == 1 and len(indent) + 7 + len(lines[0]) <= 100:
        return "{}/** {} */\n".format(indent, lines[0])
    return "{}/**\n{}{} */\n".format(
        indent, "".join("{} * {}\n".format(indent, line) for line in lines), indent
    )


def _members(fields: Iterable[Field], indent: str = "  ") -> str:
    out = []
    for name, kind, doc in fields:
        out.append(_doc(doc, indent) + "{}{}: {};\n".format(indent, name, kind))
    return "".join(out)


def _interface(name: str, doc: str, fields: Iterable[Field], extends: str = "") -> str:
    return "{}export interface {}{} {{\n{}}}\n".format(
        _doc(doc), name, " extends " + extends if extends else "", _members(fields)
    )


def _type(name: str, doc: str, body: str, items: Iterable[str] = ()) -> str:
    return "{}export type {} =\n{};\n".format(_doc(doc, items=items), name, body)


def _pg_items(entries: Iterable[dict[str, Any]]) -> list[str]:
    return [
        "`{}`: {}{}".format(
            entry["code"], entry["name_en"], " (legacy)" if entry.get("legacy") else ""
        )
        for entry in entries
    ]


def _response_fields() -> list[Field]:
    fields: list[Field] = list(ALWAYS)
    always = {name for name, _, _ in ALWAYS}
    for name in response.WINDOW_FIELDS:
        if name in always:
            continue
        kind, doc = RESPONSE_TYPES[name]
        fields.append((name + "?", kind + " | null", doc))
    return fields


def unions() -> dict[str, list[str]]:
    """``{type name: [values]}``: the unions the declarations write from the catalog and the
    error table, in catalog order."""
    entries = [catalog.PGS[code] for code in catalog.CODES]
    pay_methods: list[str] = []
    currencies: list[str] = []
    languages: list[str] = []
    for entry in entries:
        pay_methods += entry["pay_methods"]
        currencies += entry["currencies"]
        languages += entry["languages"]
    return {
        "PgCode": [entry["code"] for entry in entries if entry["payment"]],
        "CertificationPgCode": [entry["code"] for entry in entries if entry["certification"]],
        "PayMethod": list(dict.fromkeys(pay_methods)),
        "Currency": list(dict.fromkeys(currencies)),
        "Language": list(dict.fromkeys(languages)),
        "ErrorCode": list(errors.MESSAGES),
    }


SDK_DECLARATIONS = """\
/** Any JSON value. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A callback: called exactly once per request, whatever happens. */
export type ResponseCallback = (rsp: RequestPayResponse) => void;

/** The methods of window.IMP (imp.js) and of the module (imp.esm.js). */
export interface Iamport {
  /** Start using the merchant `userCode` ("imp…"): its PG settings are fetched once. */
  init(userCode: string, options?: InitOptions): void;
  /** Like `init`, for an agency's sub-merchant `tierCode`. */
  agency(userCode: string, tierCode: string, options?: InitOptions): void;
  /** Open the window of the chosen PG setting; `callback(rsp)` once. */
  request_pay(param: RequestPayParams, callback: ResponseCallback): void;
  /** Without a callback: a Promise of the rsp (never rejected: failures are rsps). */
  request_pay(param: RequestPayParams): Promise<RequestPayResponse>;
  /** Open the identity-verification window; `callback(rsp)` once. */
  certification(param: CertificationParams, callback: ResponseCallback): void;
  /** Without a callback: a Promise of the rsp (never rejected). */
  certification(param: CertificationParams): Promise<RequestPayResponse>;
  /** Close the open window: its request ends with F0005. */
  close(): void;
}

/** window.IMP, as imp.js (or imp.esm.js) installs it. */
export interface IamportWindow extends Iamport {
  readonly sdk: "iamport-py";
}

/** An Error of the exports iamport_py has no equivalent of. */
export interface UnknownMethodError extends Error {
  readonly code: "UNKNOWN_METHOD";
}

export declare function init(userCode: string, options?: InitOptions): void;
export declare function agency(userCode: string, tierCode: string, options?: InitOptions): void;
export declare function request_pay(param: RequestPayParams, callback: ResponseCallback): void;
export declare function request_pay(param: RequestPayParams): Promise<RequestPayResponse>;
export declare function certification(param: CertificationParams,
                                      callback: ResponseCallback): void;
export declare function certification(param: CertificationParams): Promise<RequestPayResponse>;
export declare function close(): void;
/**
 * Close the open window (F0005) and forget the merchant: requests end with NOT_INITIALIZED
 * until the next `init` or `agency`.
 */
export declare function deinit(): void;
/**
 * Not in iamport_py (PortOne's PayPal buttons): the request ends with UNKNOWN_METHOD, through
 * the callback, or the Promise without one.
 */
export declare function loadUI(type: string, param: RequestPayParams,
                               callback: ResponseCallback): void;
export declare function loadUI(type: string, param: RequestPayParams): Promise<RequestPayResponse>;
/** Not in iamport_py: throws an {@link UnknownMethodError}. */
export declare function updateLoadUIRequest(type: string, param: RequestPayParams): never;
/** Not in iamport_py: rejects with an {@link UnknownMethodError}. */
export declare function loadModule(type: string, param?: object, options?: object): Promise<never>;
/** Not in iamport_py (Naver Pay's wish list): throws an {@link UnknownMethodError}. */
export declare function naver_zzim(param?: object): never;
/** Not in iamport_py (iamport.js's channel to its windows): throws. */
export declare function communicate(data?: object): never;
/** Read-only: the service the settings and windows come from, and the SDK's version. */
export declare const slots: Readonly<{ CORE_SERVER: string; SDK_VERSION: string }>;

declare const _default: Readonly<Iamport & {
  deinit: typeof deinit;
  loadUI: typeof loadUI;
  updateLoadUIRequest: typeof updateLoadUIRequest;
  loadModule: typeof loadModule;
  naver_zzim: typeof naver_zzim;
  communicate: typeof communicate;
}>;
export default _default;

declare global {
  /** iamport-py's IMP, installed by imp.js (and by imp.esm.js). */
  var IMP: IamportWindow;
  interface Window {
    IMP: IamportWindow;
  }
}
"""


def render() -> str:
    """The declarations file's text."""
    found = unions()
    entries = [catalog.PGS[code] for code in catalog.CODES]
    parts = [
        HEADER,
        _type(
            "PgCode",
            "The PG service codes of iamport_py's catalog:",
            _union(found["PgCode"]),
            _pg_items(e for e in entries if e["payment"]),
        ),
        _doc(
            "`pg`: a service code, or the code and a PG merchant ID after the first dot "
            '(`"html5_inicis.MID-b"`; MIDs may contain dots); "" for the default PG.'
        )
        + 'export type PgValue = "" | PgCode | `${PgCode}.${string}`;\n',
        _type(
            "CertificationPgCode",
            "The PG service codes of iamport_py's catalog that serve certification:",
            _union(found["CertificationPgCode"]),
            _pg_items(e for e in entries if e["certification"]),
        ),
        _doc('`pg` of a certification: a code, or `code.MID`; "" for the default.')
        + "export type CertificationPgValue =\n"
        '  "" | CertificationPgCode | `${CertificationPgCode}.${string}`;\n',
        _type(
            "PayMethod",
            "The pay methods of iamport_py's catalog (each PG takes some).",
            _union(found["PayMethod"]),
        ),
        _type(
            "Currency",
            "The currencies of iamport_py's catalog (each PG takes some).",
            _union(found["Currency"]),
        ),
        _type(
            "Language",
            "The window languages of iamport_py's catalog (each PG offers some).",
            _union(found["Language"]),
        ),
        _type(
            "ErrorCode",
            "Every code of the SDK's error table (iamport_py/errors.py).",
            _union(found["ErrorCode"]),
        ),
        _interface("RequestPayParams", "`request_pay`'s parameters.", PAY_PARAMS),
        _interface("CertificationParams", "`certification`'s parameters.", CERTIFICATION_PARAMS),
        _interface("InitOptions", "`init`'s and `agency`'s options.", INIT_OPTIONS),
        _interface(
            "RequestPayResponse",
            "The rsp of a request (payment or certification): the five first fields "
            "always, the others as the window reports them.",
            _response_fields(),
        ),
        SDK_DECLARATIONS,
    ]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    """Write :data:`TARGET`, or with ``--check`` exit 1 (and show the difference) when it is
    not what :func:`render` gives."""
    parser = argparse.ArgumentParser(
        prog="python -m iamport_sandbox.typings", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if stale")
    args = parser.parse_args(argv)
    text = render()
    try:
        with open(TARGET, encoding="utf-8") as handle:
            current = handle.read()
    except FileNotFoundError:
        current = ""
    if args.check:
        if current == text:
            return 0
        sys.stdout.writelines(
            difflib.unified_diff(
                current.splitlines(True), text.splitlines(True), TARGET, "generated"
            )
        )
        print("{} is stale: run python -m iamport_sandbox.typings".format(TARGET))
        return 1
    with open(TARGET, "w", encoding="utf-8") as handle:
        handle.write(text)
    print("wrote {}".format(TARGET))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
