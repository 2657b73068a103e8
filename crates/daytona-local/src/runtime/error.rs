//! The domain's one error type. `crate::http` answers it in the Daytona API's error shape;
//! internal errors are logged there, never echoed.

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Invalid(String),
    #[error("Invalid or missing API key")]
    Unauthorized,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// Any other HTTP status, with its message.
    #[error("{1}")]
    Status(u16, String),
    /// A toolbox (daemon) error with a typed code, e.g. `FILE_NOT_FOUND`; SDKs pick a finer
    /// class from it.
    #[error("{message}")]
    Coded { status: u16, code: &'static str, message: String },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// The HTTP status Daytona answers this error with.
    pub fn status(&self) -> u16 {
        match self {
            Error::Invalid(_) => 400,
            Error::Unauthorized => 401,
            Error::NotFound(_) => 404,
            Error::Conflict(_) => 409,
            Error::Status(s, _) | Error::Coded { status: s, .. } => *s,
            Error::Internal(_) => 500,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid(message.into())
    }

    pub fn coded(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        Error::Coded { status, code, message: message.into() }
    }

    /// The typed code of a daemon error.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Error::Coded { code, .. } => Some(code),
            _ => None,
        }
    }

    /// A code for every error, for bodies that always carry one (bulk-download error parts).
    pub fn wire_code(&self) -> &'static str {
        self.code().unwrap_or(match self.status() {
            400 => "BAD_REQUEST",
            401 => "UNAUTHORIZED",
            403 => "FORBIDDEN",
            404 => "NOT_FOUND",
            409 => "CONFLICT",
            _ => "INTERNAL_SERVER_ERROR",
        })
    }

    pub fn sandbox_not_found(id: &str) -> Self {
        Error::NotFound(format!("Sandbox with ID or name {id} not found"))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Internal(e.into())
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        let bad_path = |why: &str| Error::coded(400, "INVALID_FILE_PATH", format!("bad request: {why}"));
        match e.raw_os_error() {
            // A full sandbox disk is the client's to fix (delete files or resize), not ours.
            Some(libc::ENOSPC) => Error::coded(507, "INSUFFICIENT_STORAGE", "insufficient storage: the sandbox's disk is full"),
            // Paths the client named that cannot be what it asked for.
            Some(libc::EISDIR) => bad_path("the path is a directory"),
            Some(libc::ENOTDIR) => bad_path("a parent of the path is not a directory"),
            // Making folders where a file is (`create_dir_all` through it).
            Some(libc::EEXIST) => Error::Conflict("conflict: a file is in the way of the path".into()),
            Some(libc::ENAMETOOLONG) => bad_path("the path or one of its names is too long"),
            Some(libc::ELOOP) => bad_path("the path has too many symbolic links"),
            Some(libc::E2BIG) => Error::Invalid("bad request: the arguments are too long".into()),
            _ => Error::Internal(e.into()),
        }
    }
}
