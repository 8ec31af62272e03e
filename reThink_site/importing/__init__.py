"""Moving in: reading another tool's export (a WordPress WXR file) into content files and redirects."""
