//! Uploaded images (user photos, the group avatar; spec v2 §7, §8): a `{"<field>":
//! base64}` body stored as a served file, and the 302 answers of the image GETs.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::rest::Call;
use crate::directory::Data;
use crate::error::ApiError;
use crate::validate::{self, Field};

/// Reads `{"<field>": base64 PNG/JPEG/GIF}` from the body: the image's bytes and type
/// (400 naming the field when the body lacks it or it is not a base64 image).
pub fn upload(call: &Call, field: &'static str) -> Result<(Vec<u8>, &'static str), ApiError> {
    let body = call.json(&[Field::string(field, true, 1, None)])?;
    let text = super::rest::text(&body, field);
    let bytes = crate::base64::decode(&text)
        .ok_or_else(|| validate::not_of_type(field, &json!(text), "base64 image"))?;
    let kind = crate::base64::image_type(&bytes)
        .ok_or_else(|| validate::not_of_type(field, &json!(text), "base64 image"))?;
    Ok((bytes, kind))
}

/// Stores `bytes` as a file called `name` with an extension for `kind`, replacing the
/// file `old` (if any); returns the new file's id.
pub fn replace(data: &mut Data, old: Option<u64>, name: &str, bytes: Vec<u8>, kind: &str) -> u64 {
    if let Some(old) = old {
        data.files.remove(old);
    }
    let extension = kind.rsplit('/').next().unwrap_or("png");
    data.files.add(&format!("{name}.{extension}"), kind, bytes)
}

/// 302 to `url`.
pub fn redirect(url: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, url.to_owned())]).into_response()
}

/// 302 to stored file `file`, or to the placeholder image (`/files/default.png`) when
/// there is none.
pub fn redirect_to_file(call: &Call, data: &Data, file: Option<u64>) -> Response {
    let path = file
        .and_then(|id| data.files.get(id))
        .map_or_else(|| super::file::DEFAULT_PATH.to_owned(), |file| file.path());
    redirect(&call.links.url(&path))
}
