//! A typed client over HTTP: `client.call(methods::SEND_SINGLE, &params)`.

use jsonrpsee::core::client::ClientT;
use jsonrpsee::core::traits::ToRpcParams;
use jsonrpsee::http_client::{HeaderMap, HeaderValue, HttpClient, HttpClientBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::value::RawValue;

use crate::method::Method;

/// Why a call failed.
#[derive(Debug)]
pub enum ClientError {
    /// The server answered with a JSON-RPC error.
    Rpc {
        /// Error code (see [`crate::errors`]).
        code: i32,
        /// The server's message.
        message: String,
    },
    /// The request never got an answer (connection refused, timeout, bad URL, bad response).
    Transport(String),
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Rpc { code, message } => write!(f, "{message} (error {code})"),
            ClientError::Transport(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for ClientError {}

impl ClientError {
    /// The JSON-RPC error code, when the server answered.
    pub fn code(&self) -> Option<i32> {
        match self {
            ClientError::Rpc { code, .. } => Some(*code),
            ClientError::Transport(_) => None,
        }
    }
}

/// One parameter object, passed by name.
struct ByName(Box<RawValue>);

impl ToRpcParams for ByName {
    fn to_rpc_params(self) -> Result<Option<Box<RawValue>>, serde_json::Error> {
        Ok(Some(self.0))
    }
}

/// A connection to one server with one credential.
pub struct Client {
    inner: HttpClient,
}

impl Client {
    /// Builds a client for `url` (`http://127.0.0.1:8525`), sending `token` as bearer when given.
    pub fn new(
        url: &str,
        token: Option<&str>,
        timeout: std::time::Duration,
    ) -> Result<Self, ClientError> {
        let mut headers = HeaderMap::new();
        if let Some(t) = token {
            let value = HeaderValue::from_str(&format!("Bearer {t}")).map_err(|_| {
                ClientError::Transport(
                    "the key contains characters not allowed in an HTTP header".into(),
                )
            })?;
            headers.insert("authorization", value);
        }
        let inner = HttpClientBuilder::default()
            .set_headers(headers)
            .request_timeout(timeout)
            .max_response_size(64 << 20)
            .build(url)
            .map_err(|e| ClientError::Transport(format!("{url}: {e}")))?;
        Ok(Self { inner })
    }

    /// Calls a method with its typed parameters.
    pub async fn call<P: Serialize, R: DeserializeOwned>(
        &self,
        method: Method<P, R>,
        params: &P,
    ) -> Result<R, ClientError> {
        let raw = serde_json::value::to_raw_value(params)
            .map_err(|e| ClientError::Transport(format!("encoding parameters: {e}")))?;
        self.call_raw(method.name, raw).await
    }

    /// Calls a method by name with raw JSON parameters (tests of malformed input, scripting).
    pub async fn call_raw<R: DeserializeOwned>(
        &self,
        name: &str,
        params: Box<RawValue>,
    ) -> Result<R, ClientError> {
        self.inner
            .request(name, ByName(params))
            .await
            .map_err(|e| match e {
                jsonrpsee::core::ClientError::Call(obj) => ClientError::Rpc {
                    code: obj.code(),
                    message: obj.message().to_string(),
                },
                other => ClientError::Transport(other.to_string()),
            })
    }
}
