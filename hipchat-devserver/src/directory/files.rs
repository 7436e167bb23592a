//! Files the server keeps and serves at `/files/{id}/{name}`: uploaded user photos and
//! group avatars, the seeded emoticon images, and the default photo. `GET /v2/file/{id}`
//! (spec v2 §9) hands out a `temp_url` for any of them.

use std::collections::BTreeMap;

/// A 1×1 transparent PNG: the placeholder image of emoticons and default photos.
pub const PLACEHOLDER_PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

/// One stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Numeric id (the `{id}` of `/v2/file/{id}`).
    pub id: u64,
    /// The file name (the last segment of its URL).
    pub name: String,
    /// Its MIME type.
    pub content_type: String,
    /// The contents.
    pub bytes: Vec<u8>,
}

impl File {
    /// The path the server serves it at.
    pub fn path(&self) -> String {
        file_path(self.id, &self.name)
    }
}

/// The path file `id` called `name` is served at.
pub fn file_path(id: u64, name: &str) -> String {
    let name: String = url::form_urlencoded::byte_serialize(name.as_bytes()).collect();
    format!("/files/{id}/{name}")
}

/// The stored files, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    files: BTreeMap<u64, File>,
}

impl Files {
    /// Stores a file and returns its id (1, 2, …).
    pub fn add(&mut self, name: &str, content_type: &str, bytes: Vec<u8>) -> u64 {
        let id = self.files.keys().next_back().map_or(1, |last| last + 1);
        self.files.insert(
            id,
            File {
                id,
                name: name.to_owned(),
                content_type: content_type.to_owned(),
                bytes,
            },
        );
        id
    }

    /// File `id`.
    pub fn get(&self, id: u64) -> Option<&File> {
        self.files.get(&id)
    }

    /// Forgets file `id`.
    pub fn remove(&mut self, id: u64) {
        self.files.remove(&id);
    }
}
