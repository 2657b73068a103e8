//! One error type for every handler, written in the Daytona API's (NestJS) error shape,
//! which every SDK reads. Internal errors are logged, never echoed.

use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use daytona_types::error::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Invalid or missing API key")]
    Unauthorized,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{1}")]
    Status(StatusCode, String),
    /// A toolbox (daemon) error with a typed code, e.g. `FILE_NOT_FOUND`; SDKs pick a finer
    /// class from it.
    #[error("{message}")]
    Coded { status: StatusCode, code: &'static str, message: String },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Status(s, _) | ApiError::Coded { status: s, .. } => *s,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn coded(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ApiError::Coded { status, code, message: message.into() }
    }

    /// The typed code and source for daemon errors.
    fn code(&self) -> Option<&'static str> {
        match self {
            ApiError::Coded { code, .. } => Some(code),
            _ => None,
        }
    }

    /// A code for every error, for bodies that always carry one (bulk-download error parts).
    pub fn wire_code(&self) -> &'static str {
        self.code().unwrap_or(match self.status().as_u16() {
            400 => "BAD_REQUEST",
            401 => "UNAUTHORIZED",
            403 => "FORBIDDEN",
            404 => "NOT_FOUND",
            409 => "CONFLICT",
            _ => "INTERNAL_SERVER_ERROR",
        })
    }

    pub fn sandbox_not_found(id: &str) -> Self {
        ApiError::NotFound(format!("Sandbox with ID or name {id} not found"))
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        ApiError::Internal(e.into())
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        // A full sandbox disk is the client's to fix (delete files or resize), not ours.
        if e.raw_os_error() == Some(libc::ENOSPC) {
            return ApiError::coded(507, "INSUFFICIENT_STORAGE", "insufficient storage: the sandbox's disk is full");
        }
        ApiError::Internal(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            ApiError::Internal(e) => {
                tracing::error!(error = ?e, "internal error");
                "An unexpected error occurred.".to_owned()
            }
            other => other.to_string(),
        };
        let body = ErrorBody {
            status_code: Some(status.as_u16()),
            error: Some(status.canonical_reason().unwrap_or("Error").into()),
            message: Some(message.into()),
            timestamp: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
            code: self.code().map(Into::into),
            source: self.code().map(|_| "DAYTONA_DAEMON".into()),
            ..Default::default()
        };
        (status, Json(body)).into_response()
    }
}

/// `Json` whose rejections (malformed JSON, wrong types, wrong content type) answer in the
/// same error shape instead of axum's plain text.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct AppJson<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        ApiError::Status(r.status(), r.body_text())
    }
}
