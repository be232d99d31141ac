"""iamport_sandbox: a local stand-in for Iamport's servers and the payment gateways."""
