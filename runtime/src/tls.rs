//! TLS for the default HTTP stack: rustls with the ring provider and the Mozilla roots
//! (`webpki-roots`), so a client verifies Atlas the same way on every machine, whatever
//! the system's certificate store holds.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;

use super::Error;

/// A rustls configuration trusting the Mozilla roots and `extra_roots` (DER), offering
/// HTTP/2 and HTTP/1.1.
pub(crate) fn client_config(extra_roots: &[Vec<u8>]) -> Result<rustls::ClientConfig, Error> {
    let mut roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (index, der) in extra_roots.iter().enumerate() {
        roots
            .add(CertificateDer::from(der.as_slice()).into_owned())
            .map_err(|e| {
                Error::Config(format!(
                    "root certificate {index} (ClientBuilder::add_root_certificate_der): {e}"
                ))
            })?;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS versions: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_malformed_root_certificate_is_a_configuration_error_naming_it() {
        let error = client_config(&[b"not a certificate".to_vec()]).unwrap_err();
        assert!(
            matches!(&error, Error::Config(m) if m.contains("root certificate 0")),
            "{error}"
        );
    }

    #[test]
    fn the_mozilla_roots_are_trusted_and_both_protocols_offered() {
        let config = client_config(&[]).unwrap();
        assert_eq!(
            config.alpn_protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }
}
