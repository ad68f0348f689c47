"""One router per resource; `service.api.router` includes them."""
