"""The courier client: Kuaidi100 实时查询 over HTTP, in a place of its own (contract §7 ``track``).

A host layer beside ``_files`` and ``_excel``: it does network and file I/O, imports
``_core`` and ``_app`` and nothing above; the public modules (``cli``, ``macros``) hand a
:class:`Kuaidi100Courier` to the one use case :func:`refund_xl._app.track_run.run_track`.

* :mod:`.errors`    the exception tree (one Chinese line each, never the key);
* :mod:`.transport` how a request travels: :class:`HttpTransport` (http/https only, no
  redirects, a whole-request deadline, abortable) and :class:`MemoryTransport` for tests;
* :mod:`.protocol`  the form and the sign, and what an answer means, checked before it is
  believed (pure);
* :mod:`.client`    many queries a few at a time, within the run's deadline, stopped at once;
* :mod:`.account`   credentials, the private local cache, and :class:`Kuaidi100Courier`.
"""

from refund_xl._courier.account import Kuaidi100Courier, cache_path, config_path, load_credentials
from refund_xl._courier.client import Credentials, Kuaidi100, Limits
from refund_xl._courier.errors import (AuthError, CourierError, CredentialsMissing, EndpointError, RequestTimeout,
                                       TransportError, Unreachable)
from refund_xl._courier.transport import HttpTransport, MemoryTransport, Request, Response

__all__ = ["Kuaidi100Courier", "Kuaidi100", "Credentials", "Limits", "HttpTransport", "MemoryTransport", "Request",
           "Response", "CourierError", "CredentialsMissing", "EndpointError", "AuthError", "TransportError",
           "RequestTimeout", "Unreachable", "cache_path", "config_path", "load_credentials"]
