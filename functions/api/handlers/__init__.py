"""One module per API function (template.yaml: `Handler: handlers/<context>.handler`), each serving its
bounded context's routers and building, at cold start, the services they call."""
