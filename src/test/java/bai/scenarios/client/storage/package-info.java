/**
 * The storage proxy's client-facing API, where a folder's bytes travel: resumable uploads with
 * tus 1.0 ({@code HEAD}/{@code PATCH} on the URL the manager hands out with
 * {@code POST /folders/{name}/request-upload}; the proxy has no tus creation step) and streamed
 * downloads with a checksum taken on the way.
 *
 * <p>It is a different server from the manager, with its own base URL and its own credentials
 * (the manager's short-lived token, in the query string), so it has its own transport on the JDK
 * HTTP client: nothing here is signed, and nothing here passes the manager's contract filter
 * (the proxy is not in {@code openapi.json}). Every exchange is recorded, redacted (the token
 * never shows), like the manager's.
 */
package bai.scenarios.client.storage;
