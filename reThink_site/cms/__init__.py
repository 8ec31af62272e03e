"""Editing in the browser: the CMS at /admin/, its configuration made from the content models."""
