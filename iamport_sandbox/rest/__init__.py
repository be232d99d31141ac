"""The REST API a merchant's server calls (a subset of api.iamport.kr), one module per
resource: :mod:`.payments`, :mod:`.subscribe` (billing keys, charges, schedules),
:mod:`.vbanks`, :mod:`.receipts` (cash receipts and escrow shipping), :mod:`.codes`
(banks and cards), :mod:`.certifications`, :mod:`.users` (tokens). The shared token,
body, paging and payment helpers are :mod:`.common`; fields are read by
:mod:`iamport_sandbox.fields`; the payments' own refusals
(:mod:`iamport_sandbox.domain.errors`) are answered by
:func:`iamport_sandbox.wire.answer_of`; the route table is :mod:`.routes`;
:mod:`.scheduler` runs due schedules.

It is served under ``/api`` on the main port, and at the root of its own port with
``--api-port`` (api.iamport.kr is its own host; some published clients keep only scheme
and host of the URL they are given).

Envelope ``{"code": 0, "message": null, "response": ...}``; a page of a listing is
``{"total", "previous", "next", "list"}`` (``previous``/``next``: page numbers, 0 for
none; ``page`` from 1, ``limit`` 20 by default, at most 100, payment listings 1000). A
token (``Authorization``, with or without ``Bearer``, or the older ``X-ImpTokenHeader``)
reads only its own merchant's data: another merchant's ``imp_uid``, ``customer_uid`` or
``merchant_uid`` is not found. Bodies may be JSON or form-encoded; amounts may be strings
there (``"2000"``), and still go through the one amount rule (:mod:`iamport_py.amounts`).

Statuses, as api.iamport.kr answers them, because the published clients branch on the
status (``iamport-rest-client`` raises ``HttpError`` for anything but 200, dropping the
message; ``ResponseError`` with code and message for a 200 with ``code != 0``):

====================================================  ======  ====  =======================
refusal                                               status  code  why
====================================================  ======  ====  =======================
no, expired or unknown token; wrong imp_key/secret    401     -1    as Iamport; clients
                                                                    retry on 401
malformed input: no JSON object, a missing or         400     -1    the request, not the
mistyped field, an amount the amount rule refuses,                  business, is wrong
an unknown ``status``/``sorting``/code, card data
of the wrong shape (never echoed)
body too large                                        413     -1    ours (Iamport has a
                                                                    limit too)
a lookup of nothing: a payment, prepared amount,      404     1     the clients' own tests
certification, billing key, schedule, cash receipt,                 expect ``HttpError``
bank or card code; ``findAll`` or ``?imp_uid[]=``
or ``?customer_uid[]=`` finding none
``GET /payments?imp_uid[]=`` finding some only        207     0     as Iamport: the found
                                                                    ones (the Node client
                                                                    reads the rest as
                                                                    ``failed``)
business refusals: cancel of nothing / of a           200     1     the clients raise
cancelled or unpaid payment / over what is left;                    ``ResponseError`` with
a charge of an unknown ``customer_uid`` or a paid                   Iamport's message
``merchant_uid``; a prepared ``merchant_uid``
prepared again; an expired card; no PG setting;
a schedule's ``merchant_uid`` scheduled or paid;
nothing to unschedule; deleting a key with
schedules waiting; a vbank change or revoke of
one not waiting; a due date past; a cash receipt
of a card payment or one issued twice; escrow
shipping of a non-escrow or unpaid payment
a schedule moved, rescheduled or retried in the      400     1     as PortOne's document
wrong state or to a past time; a tier code taken;                   lists these refusals
an OTP code wrong, expired or confirmed twice; an
external cash receipt issued twice; partner receipt
lines of an unpaid payment or not adding up
====================================================  ======  ====  =======================

A charge the PG declines is not a refusal: ``code`` 0 and a payment whose ``status`` is
``failed`` (with ``fail_reason``), as Iamport answers a declined billing-key charge. The
sandbox declines a billing-key charge (onetime, again, scheduled) when the card number
ends in 0002 or the amount ends in 44 (:func:`iamport_sandbox.domain.payments.decline_reason`).
"""
