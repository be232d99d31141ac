"""The payment window: the sandbox's stand-in for Iamport's payment and certification
windows (docs/protocol.md).

- :mod:`.facts`: the window's facts, each in one table (kinds, outcomes, the PG page's
  form, codes, paths, texts), written into its templates and scripts;
- :mod:`.lookup`: the one setting lookup (window URL shapes, a request's channelKey);
- :mod:`.pages`: the window pages, the popup PG page and the scripts as served;
- :mod:`.inline`: the stylesheet and scripts the pages carry inline, facts written in;
- :mod:`.rules`: the PG's parameter rules a payment window lists;
- :mod:`.recording`: the API a window records the request and its outcome through;
- :mod:`.answer`: the ``rsp`` a window posts back;
- ``static/``, ``templates/``: the window's scripts and templates.
"""
