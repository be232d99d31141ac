"""What the sandbox simulates of Iamport, apart from HTTP: payments and certifications
and their states (:mod:`.payments`), the bank and card tables they draw on (:mod:`.tables`)
and the errors they raise (:mod:`.errors`), which the endpoints map to HTTP answers.

Nothing here imports an endpoint: the windows, the REST API, the test kit and the console
call in, never the other way round.
"""
