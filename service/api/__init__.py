"""The HTTP layer: dependencies, problem+json errors, middleware, metrics and routers."""
