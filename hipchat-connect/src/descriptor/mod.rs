//! The add-on descriptor (spec §1), typed with the schema's exact names.
