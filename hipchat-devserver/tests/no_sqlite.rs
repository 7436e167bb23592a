//! Built without the `sqlite` feature (`--no-default-features`): asking for a message
//! file is a clear error at start, never a silent in-memory server.
#![cfg(not(feature = "sqlite"))]

use hipchat_devserver::DevServer;

#[tokio::test]
async fn a_database_needs_the_sqlite_feature() {
    let error = DevServer::builder()
        .database("messages.db")
        .start()
        .await
        .expect_err("no SQLite in this build");
    assert_eq!(error.kind(), std::io::ErrorKind::Unsupported);
    assert!(error.to_string().contains("`sqlite`"), "{error}");
    assert!(
        !std::path::Path::new("messages.db").exists(),
        "no file is made"
    );
}
