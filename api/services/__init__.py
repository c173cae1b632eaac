"""Services shared by the API routes and the pages: what a request does, apart from HTTP."""
