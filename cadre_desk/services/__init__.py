"""One module per capability: plain functions over the store, taking and returning plain data."""
