//! The objects of the REST API v2, as HipChat sends them.
