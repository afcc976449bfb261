package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.EmulatorVersion;
import bai.scenarios.emulator.http.ApiError;
import bai.scenarios.emulator.http.LogText;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.threads.Background;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The storage proxy's client-facing API on its own base URL (a second Undertow server on
 * loopback, as a real install runs the proxy beside the manager): {@code GET /} (status), tus
 * uploads on {@code /upload} ({@code OPTIONS}, {@code HEAD}, {@code PATCH} with
 * {@code Upload-Offset}), downloads on {@code /download} ({@code GET} with {@code Range} and
 * {@code If-Range}, {@code HEAD}, a directory as a zip with {@code archive=true}) and several
 * paths at once on {@code /download-archive}. Every call carries a token the manager had the
 * proxy mint; a forged or expired token is refused as the proxy refuses it.
 *
 * <p>Threads: the IO threads only move bytes; every request is handled on the storage pool, and
 * transfers are chains of short steps on it ({@link TusUpload}, {@link Transfers}), so no thread
 * waits for a slow client and memory per transfer is bounded.
 */
public final class StorageProxy implements HttpHandler, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StorageProxy.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The halfstack proxy's {@code max-upload-size} (100g). */
    static final long MAX_UPLOAD_SIZE = 100L * 1024 * 1024 * 1024;
    private static final String CORS_HEADERS = "Tus-Resumable, Upload-Length, Upload-Metadata, Upload-Offset, Content-Type";
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");
    private static final Set<String> TRUE = Set.of("true", "yes", "y", "on", "1", "t");
    private static final Set<String> FALSE = Set.of("false", "no", "n", "off", "0", "f");

    /** An open upload session: where its staging file is, how far it got, and whether a PATCH is writing. */
    static final class UploadSession {
        final String id;
        final Path folder;
        long offset;
        boolean busy;

        UploadSession(String id, Path folder) {
            this.id = id;
            this.folder = folder;
        }
    }

    private final Volume volume;
    private final StorageTokens tokens;
    private final Executor storage;
    private final Map<String, UploadSession> uploads = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private Undertow server;
    private String baseUrl;
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();

    StorageProxy(Volume volume, Background background, Duration sessionLifetime, Clock clock) {
        this.volume = volume;
        this.storage = background.storage();
        this.tokens = new StorageTokens(sessionLifetime, clock);
    }

    /** Starts the proxy's server on {@code host:port} (0: a free port). */
    void start(String host, int port) {
        server = Undertow.builder()
                .addHttpListener(port, host)
                .setIoThreads(2)
                .setWorkerThreads(2)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, -1L)
                .setHandler(this)
                .build();
        server.start();
        InetSocketAddress bound = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
        String authority = bound.getAddress().getHostAddress();
        if (authority.contains(":")) {
            authority = "[" + authority + "]";
        }
        baseUrl = "http://" + authority + ":" + bound.getPort();
    }

    /** The client API's base URL, e.g. {@code http://127.0.0.1:41235} (the halfstack's is :6021). */
    public String clientApiUrl() {
        return baseUrl;
    }

    /** Stops the server; gives it {@code grace} then leaves it (its threads are daemons). */
    void stop(Duration grace) {
        Undertow running = server;
        if (running == null || !stopped.compareAndSet(false, true)) {
            return;
        }
        Thread stopper = Background.daemon("storage-proxy-stop").newThread(running::stop);
        stopper.start();
        try {
            stopper.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(3));
    }

    // --- the manager-facing side (called by the manager's handlers, on the storage pool) ---------

    /**
     * {@code POST /folder/file/upload}: the session's staging file under {@code .upload/} and its
     * token. Unlike the real proxy, which checks only that the path is relative and would write
     * outside the folder at the end of the upload, a path that leaves the folder is refused here.
     */
    String openUpload(Path folder, String vfid, String relpath, long size) {
        Volume.requireRelative(relpath);
        Volume.requireNoNul(relpath);
        Path base = volume.base(folder);
        if (!PyPaths.realpath(base, relpath).startsWith(base)) {
            throw Volume.StorageException.badRequest("Invalid Subpath (relpath=" + PyPaths.pure(relpath) + ")");
        }
        Path uploadDir = base.resolve(".upload");
        if (!PyPaths.realpath(base, ".upload").equals(uploadDir)) {
            throw Volume.StorageException.badRequest("Invalid Subpath (relpath=.upload)");
        }
        String session = HexFormat.of().formatHex(randomBytes());
        createStagingFile(uploadDir, session);
        uploads.put(session, new UploadSession(session, folder));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("op", "upload");
        claims.put("volume", Volume.NAME);
        claims.put("vfid", vfid);
        claims.put("relpath", PyPaths.pure(relpath));
        claims.put("size", size);
        claims.put("session", session);
        return tokens.mint(claims);
    }

    /**
     * {@code .upload/<session>}, creating {@code .upload} as needed. An upload that finishes removes
     * {@code .upload} once it is empty, so it can vanish between the steps: after the check that it
     * exists (the JDK then reports it as existing and not a directory) or before the file is made
     * in it. The real proxy has the same window (mkdir, then touch) and would fail the request in
     * it; here the steps are tried again, so that parallel work on one folder never fails by timing
     * alone. A {@code .upload} that is really not a directory still fails, on the last attempt.
     */
    private static void createStagingFile(Path uploadDir, String session) {
        for (int attempt = 1; ; attempt++) {
            try {
                Files.createDirectories(uploadDir);
                Files.createFile(uploadDir.resolve(session));
                return;
            } catch (NoSuchFileException | FileAlreadyExistsException removedMeanwhile) {
                if (attempt == 3) {
                    throw Volume.StorageException.badRequest(Volume.strerror(removedMeanwhile));
                }
            } catch (IOException e) {
                throw Volume.StorageException.badRequest(Volume.strerror(e));
            }
        }
    }

    /** {@code POST /folder/file/download}: a token for one path. */
    String downloadToken(String vfid, String relpath) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("op", "download");
        claims.put("volume", Volume.NAME);
        claims.put("vfid", vfid);
        claims.put("relpath", PyPaths.pure(relpath));
        return tokens.mint(claims);
    }

    /** {@code POST /folder/file/archive-download-token}: a token for several paths. */
    String archiveToken(String vfid, List<String> files, String filename) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("operation", "download");
        claims.put("volume", Volume.NAME);
        claims.put("virtual_folder_id", vfid);
        claims.put("files", files);
        claims.put("filename", filename);
        return tokens.mint(claims);
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    // --- the client-facing side ---------------------------------------------------------------------

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(storage, () -> route(exchange));
            return;
        }
        route(exchange);
    }

    private void route(HttpServerExchange exchange) {
        String method = exchange.getRequestMethod().toString();
        String path = exchange.getRequestPath();
        try {
            switch (path) {
                case "/" -> {
                    requireMethod(method, "GET", "HEAD");
                    Map<String, Object> status = new LinkedHashMap<>();
                    status.put("status", "ok");
                    status.put("type", "client-facing");
                    status.put("storage-proxy", EmulatorVersion.emulatedManager() + "+emulator." + EmulatorVersion.emulator());
                    json(exchange, 200, status);
                }
                case "/upload" -> {
                    switch (method) {
                        case "OPTIONS" -> tusOptions(exchange);
                        case "HEAD" -> tusHead(exchange);
                        case "PATCH" -> tusPatch(exchange);
                        default -> throw new MethodNotAllowed();
                    }
                }
                case "/download" -> {
                    requireMethod(method, "GET", "HEAD");
                    download(exchange, method.equals("HEAD"));
                }
                case "/download-archive" -> {
                    requireMethod(method, "GET", "HEAD");
                    downloadArchive(exchange);
                }
                default -> plain(exchange, 404, "404: Not Found");
            }
        } catch (MethodNotAllowed e) {
            plain(exchange, 405, "405: Method Not Allowed");
        } catch (ApiError error) {
            problem(exchange, error);
        } catch (Volume.StorageException e) {
            problem(exchange, Problems.storageInvalidApiParams(e.getMessage()));
        } catch (RuntimeException | IOException unexpected) {
            LOG.warning("the storage proxy could not answer " + LogText.escape(String.valueOf(method)) + " "
                    + LogText.escape(String.valueOf(path)) + ": " + LogText.escape(String.valueOf(unexpected)));
            LOG.log(Level.FINE, "stack trace of the storage proxy's failure above", unexpected);
            plain(exchange, 500, "500 Internal Server Error\n\nServer got itself in trouble");
        }
    }

    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed() {
            super(null, null, false, false);
        }
    }

    private static void requireMethod(String method, String... allowed) {
        if (!List.of(allowed).contains(method)) {
            throw new MethodNotAllowed();
        }
    }

    // --- tus ----------------------------------------------------------------------------------------

    private void tusOptions(HttpServerExchange exchange) {
        Map<String, String> headers = cors();
        headers.put("Tus-Resumable", "1.0.0");
        headers.put("Tus-Version", "1.0.0");
        headers.put("Tus-Max-Size", String.valueOf(MAX_UPLOAD_SIZE));
        headers.put("X-Content-Type-Options", "nosniff");
        empty(exchange, 200, headers);
    }

    private static Map<String, String> cors() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Access-Control-Allow-Origin", "*");
        headers.put("Access-Control-Allow-Headers", CORS_HEADERS);
        headers.put("Access-Control-Expose-Headers", CORS_HEADERS);
        headers.put("Access-Control-Allow-Methods", "*");
        return headers;
    }

    /** The token, the session's staging file and offset: what {@code prepare_tus_session_headers} checks. */
    private record Upload(JsonNode token, UploadSession session, Path folder, Map<String, String> headers) {
    }

    private Upload upload(HttpServerExchange exchange) {
        JsonNode token = token(exchange, "upload", List.of("volume", "vfid", "relpath", "session", "size"));
        param(exchange, "dst_dir");
        String sessionId = token.get("session").asText();
        Path folder = volume.folderOf(token.get("vfid").asText()).orElse(null);
        Path staging = folder == null ? null : folder.resolve(".upload").resolve(sessionId);
        if (staging == null || !Files.isRegularFile(staging, LinkOption.NOFOLLOW_LINKS)) {
            throw Problems.tusSessionNotFound("Upload session " + sessionId + " has no on-disk staging file");
        }
        UploadSession session = uploads.get(sessionId);
        if (session == null) {
            throw Problems.tusSessionNotFound("Upload session " + sessionId + " is not registered or has expired");
        }
        Map<String, String> headers = cors();
        headers.put("Cache-Control", "no-store");
        headers.put("Tus-Resumable", "1.0.0");
        synchronized (session) {
            headers.put("Upload-Offset", String.valueOf(session.offset));
        }
        headers.put("Upload-Length", token.get("size").asText());
        return new Upload(token, session, folder, headers);
    }

    private void tusHead(HttpServerExchange exchange) {
        empty(exchange, 200, upload(exchange).headers());
    }

    /**
     * A tus PATCH: the offset must be the session's, one PATCH at a time; the body is appended to
     * the staging file, and once the declared size is reached the file moves to its path in the
     * folder ({@code dst_dir/relpath}).
     */
    private void tusPatch(HttpServerExchange exchange) throws IOException {
        Upload upload = upload(exchange);
        String header = exchange.getRequestHeaders().getFirst("Upload-Offset");
        if (header == null) {
            throw Problems.storageInvalidApiParams("Missing required Upload-Offset header for TUS PATCH request");
        }
        long clientOffset;
        try {
            clientOffset = Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw Problems.storageInvalidApiParams("Invalid Upload-Offset header value: " + header);
        }
        String dstDir = param(exchange, "dst_dir");
        String relpath = upload.token().get("relpath").asText();
        completionTarget(upload.folder(), dstDir, relpath);
        UploadSession session = upload.session();
        long offset;
        synchronized (session) {
            if (session.busy) {
                throw Problems.tusLeaseHeld("Upload session " + session.id + " is being written by another request");
            }
            if (clientOffset != session.offset) {
                throw Problems.uploadOffsetMismatch("Upload offset mismatch: expected " + session.offset + ", got "
                        + clientOffset);
            }
            session.busy = true;
            offset = session.offset;
        }
        Path staging = upload.folder().resolve(".upload").resolve(session.id);
        FileChannel channel;
        try {
            channel = offset == 0
                    ? FileChannel.open(staging, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                    LinkOption.NOFOLLOW_LINKS)
                    : FileChannel.open(staging, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            channel.truncate(offset);
        } catch (IOException e) {
            release(session, 0);
            if (e instanceof NoSuchFileException) {
                throw Problems.tusSessionNotFound("Upload session " + session.id + " staging file is missing at offset "
                        + offset);
            }
            throw e;
        }
        long size = upload.token().get("size").asLong();
        new TusUpload(exchange, channel, offset, storage, new TusUpload.Outcome() {
            @Override
            public void finished(HttpServerExchange ex, long written) {
                long newOffset = release(session, written);
                Map<String, String> headers = new LinkedHashMap<>(upload.headers());
                headers.put("Upload-Offset", String.valueOf(newOffset));
                try {
                    if (newOffset >= size) {
                        complete(session, upload.folder(), dstDir, relpath, staging);
                    }
                    Transfers.onIoThread(ex, () -> empty(ex, 204, headers));
                } catch (ApiError refused) {
                    Transfers.onIoThread(ex, () -> problem(ex, refused));
                } catch (IOException | RuntimeException failure) {
                    LOG.log(Level.WARNING, "completing upload " + session.id + " failed", failure);
                    Transfers.onIoThread(ex, () -> plain(ex, 500, "500 Internal Server Error\n\nServer got itself in trouble"));
                }
            }

            @Override
            public void failed(HttpServerExchange ex, Throwable failure) {
                release(session, 0);
                LOG.log(Level.FINE, "an upload PATCH broke off", failure);
                Transfers.onIoThread(ex, () -> {
                    ex.setPersistent(false);
                    if (!ex.isResponseStarted()) {
                        ex.setStatusCode(500);
                    }
                    ex.endExchange();
                });
            }
        }).start();
    }

    private static long release(UploadSession session, long written) {
        synchronized (session) {
            session.busy = false;
            session.offset += written;
            return session.offset;
        }
    }

    /**
     * Where a finished upload goes: {@code dst_dir/relpath} inside the folder. The real proxy joins
     * them without a check; here a target that leaves the folder is refused before any byte is
     * taken.
     */
    private Path completionTarget(Path folder, String dstDir, String relpath) {
        if (Volume.hasNul(dstDir) || Volume.hasNul(relpath)) {
            throw Problems.storageInvalidApiParams("embedded null byte");
        }
        Path base = volume.base(folder);
        Path target = base;
        for (String part : dstDir == null ? new String[] {relpath} : new String[] {dstDir, relpath}) {
            target = PyPaths.isAbsolute(part) ? PyPaths.realpath(base.getRoot(), part) : PyPaths.realpath(target, part);
        }
        if (!target.startsWith(base) || target.equals(base) || target.startsWith(base.resolve(".upload"))) {
            throw Problems.storageInvalidApiParams("The upload target " + (dstDir == null ? "" : dstDir + "/")
                    + relpath + " is not inside the folder");
        }
        return target;
    }

    private void complete(UploadSession session, Path folder, String dstDir, String relpath, Path staging)
            throws IOException {
        Path target = completionTarget(folder, dstDir, relpath);
        Files.createDirectories(target.getParent());
        Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        uploads.remove(session.id);
        try {
            Files.deleteIfExists(staging.getParent());
        } catch (IOException notEmpty) {
            // other sessions are still open in .upload
        }
    }

    // --- downloads ----------------------------------------------------------------------------------

    private void download(HttpServerExchange exchange, boolean head) throws IOException {
        JsonNode token = token(exchange, "download", List.of("volume", "vfid", "relpath"));
        String dstDir = param(exchange, "dst_dir");
        boolean archive = boolParam(exchange, "archive");
        boolean noCache = boolParam(exchange, "no_cache");
        String relpath = token.get("relpath").asText();
        Path folder = volume.folderOf(token.get("vfid").asText()).orElse(null);
        Optional<Path> resolved = folder == null ? Optional.empty() : volume.resolveForDownload(folder, dstDir, relpath);
        if (resolved.isEmpty() || !Files.exists(resolved.get())) {
            throw Problems.storageFileNotFound();
        }
        Path file = resolved.get();
        if (!Files.isRegularFile(file)) {
            if (archive) {
                String name = PyPaths.parts(relpath).isEmpty() ? volume.base(folder).getFileName().toString()
                        : PyPaths.parts(relpath).get(PyPaths.parts(relpath).size() - 1);
                List<Transfers.ZipMember> members = new ArrayList<>();
                walk(volume.base(folder), file, "", members);
                startZip(exchange, members, name + ".zip");
                return;
            }
            throw Problems.storageInvalidApiParams("The file is not a regular file.");
        }
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        long size = attrs.size();
        Instant modified = attrs.lastModifiedTime().toInstant();
        if (head) {
            ZonedDateTime ifRange = httpDate(exchange.getRequestHeaders().getFirst("If-Range"));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Accept-Ranges", "bytes");
            headers.put("Content-Length", String.valueOf(size));
            headers.put("Last-Modified", lastModifiedOfHead(modified));
            int status = ifRange != null && seconds(modified) <= ifRange.toEpochSecond() ? 206 : 200;
            empty(exchange, status, headers);
            return;
        }
        fileResponse(exchange, file, size, modified, attrs, noCache);
    }

    /** aiohttp's {@code FileResponse}: validators, conditional answers, one byte range. */
    private void fileResponse(HttpServerExchange exchange, Path file, long size, Instant modified,
                              BasicFileAttributes attrs, boolean noCache) throws IOException {
        long mtimeNanos = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        String etag = "\"" + Long.toHexString(mtimeNanos) + "-" + Long.toHexString(size) + "\"";
        String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atZone(ZoneOffset.UTC));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/octet-stream");
        headers.put("Content-Disposition", attachment(file.getFileName().toString()));
        if (noCache) {
            headers.put("Cache-Control", "no-store");
        }
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        ZonedDateTime ifModifiedSince = httpDate(exchange.getRequestHeaders().getFirst("If-Modified-Since"));
        if (ifNoneMatch != null && etagMatches(etag, ifNoneMatch)
                || ifNoneMatch == null && ifModifiedSince != null && seconds(modified) <= ifModifiedSince.toEpochSecond()) {
            headers.put("ETag", etag);
            headers.put("Last-Modified", lastModified);
            empty(exchange, 304, headers);
            return;
        }
        long start = 0;
        long count = size;
        int status = 200;
        ZonedDateTime ifRange = httpDate(exchange.getRequestHeaders().getFirst("If-Range"));
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && (ifRange == null || seconds(modified) <= ifRange.toEpochSecond())) {
            Matcher m = RANGE.matcher(range);
            Long first = null;
            Long last = null;
            boolean valid = m.matches();
            if (valid) {
                first = m.group(1).isEmpty() ? null : Long.parseLong(m.group(1));
                last = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
                if (first == null && last == null) {
                    valid = false;
                } else if (first != null && last != null && first > last) {
                    valid = false;
                }
            }
            if (valid && first == null) {
                start = Math.max(0, size - last);
                count = size - start;
            } else if (valid) {
                start = first;
                count = Math.min(last == null ? size : last + 1, size) - start;
            }
            if (!valid || start >= size) {
                Map<String, String> unsatisfiable = new LinkedHashMap<>();
                unsatisfiable.put("Content-Range", "bytes */" + size);
                empty(exchange, 416, unsatisfiable);
                return;
            }
            status = 206;
            headers.put("Content-Range", "bytes " + start + "-" + (start + count - 1) + "/" + size);
        }
        headers.put("Accept-Ranges", "bytes");
        headers.put("Last-Modified", lastModified);
        headers.put("ETag", etag);
        exchange.setStatusCode(status);
        headers.forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        exchange.setResponseContentLength(count);
        if (count == 0) {
            exchange.endExchange();
            return;
        }
        Transfers.sendFile(exchange, file, start, count, storage);
    }

    private void downloadArchive(HttpServerExchange exchange) {
        String raw = param(exchange, "token");
        if (raw == null) {
            throw Problems.invalidApiParameters("1 validation error for ArchiveDownloadQueryParams\ntoken\n  Field required");
        }
        JsonNode claims;
        try {
            claims = tokens.verify(raw);
        } catch (StorageTokens.Refused refused) {
            throw switch (refused.reason) {
                case EXPIRED -> Problems.jwtExpired();
                case SIGNATURE -> Problems.jwtInvalidSignature();
                case MALFORMED -> Problems.jwtDecodeError(refused.getMessage());
            };
        }
        if (!"download".equals(claims.path("operation").asText()) || !claims.path("files").isArray()
                || claims.path("files").isEmpty() || !claims.path("virtual_folder_id").isTextual()) {
            throw Problems.jwtDecodeError("the token's payload is not an archive download");
        }
        Path folder = volume.folderOf(claims.get("virtual_folder_id").asText()).orElse(null);
        if (folder == null) {
            throw Problems.storageFileNotFound();
        }
        Path base;
        try {
            base = volume.base(folder);
        } catch (Volume.StorageException gone) {
            throw Problems.storageFileNotFound();
        }
        List<Path> resolved = new ArrayList<>();
        List<String> files = new ArrayList<>();
        claims.get("files").forEach(f -> files.add(f.asText()));
        for (String relpath : files) {
            if (Volume.hasNul(relpath)) {
                throw Problems.storageInvalidApiParams("Path escapes vfolder boundary: embedded null byte");
            }
            Path path = PyPaths.isAbsolute(relpath) ? PyPaths.realpath(base.getRoot(), relpath)
                    : PyPaths.realpath(base, relpath);
            if (!path.startsWith(base)) {
                throw Problems.storageInvalidApiParams("Path escapes vfolder boundary: " + relpath);
            }
            resolved.add(path);
        }
        for (int i = 0; i < resolved.size(); i++) {
            if (!Files.exists(resolved.get(i))) {
                plain(exchange, 404, "404: File not found: " + files.get(i));
                return;
            }
        }
        List<Transfers.ZipMember> members = new ArrayList<>();
        for (Path path : resolved) {
            String arcname = base.relativize(path).toString();
            if (Files.isRegularFile(path)) {
                members.add(new Transfers.ZipMember(arcname, path, false));
            } else if (Files.isDirectory(path)) {
                walk(base, path, arcname, members);
            } else {
                throw Problems.unsupportedFileType("Unsupported file type: " + arcname);
            }
        }
        String filename = claims.path("filename").isTextual() ? claims.get("filename").asText() : "archive.zip";
        startZip(exchange, members, filename);
    }

    /**
     * The members {@code os.walk} gives for {@code dir} (links to directories not descended, links
     * to files read, empty directories kept). A link that leads out of the folder is refused
     * before anything is sent: the real proxy would put what it points to into the archive.
     */
    private void walk(Path base, Path dir, String prefix, List<Transfers.ZipMember> members) {
        List<Path> children = new ArrayList<>();
        try (var entries = Files.newDirectoryStream(dir)) {
            entries.forEach(children::add);
        } catch (IOException e) {
            throw Problems.storageInvalidApiParams(Volume.strerror(e));
        }
        boolean any = false;
        for (Path child : children) {
            String name = (prefix.isEmpty() ? "" : prefix + "/") + child.getFileName();
            boolean link = Files.isSymbolicLink(child);
            if (Files.isDirectory(child)) {
                any = true;
                if (!link) {
                    walk(base, child, name, members);
                }
                continue;
            }
            any = true;
            if (link) {
                Path target = PyPaths.realpath(child.getParent(), child.getFileName().toString());
                if (!target.startsWith(base)) {
                    throw Problems.unsupportedFileType("Unsupported file type: " + base.relativize(child)
                            + " (a link out of the folder)");
                }
                if (!Files.isRegularFile(target)) {
                    continue;
                }
                members.add(new Transfers.ZipMember(name, target, false));
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                members.add(new Transfers.ZipMember(name, child, false));
            }
        }
        if (!any) {
            members.add(new Transfers.ZipMember(prefix.isEmpty() ? "." : prefix, null, true));
        }
    }

    private void startZip(HttpServerExchange exchange, List<Transfers.ZipMember> members, String filename) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/zip");
        exchange.getResponseHeaders().put(Headers.CONTENT_DISPOSITION, attachment(filename));
        Transfers.sendZip(exchange, members, storage);
    }

    // --- parameters and tokens ---------------------------------------------------------------------

    private static String param(HttpServerExchange exchange, String name) {
        Deque<String> values = exchange.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.peekFirst();
    }

    /** trafaret's {@code ToBool} of a query parameter (absent: false). */
    private static boolean boolParam(HttpServerExchange exchange, String name) {
        String value = param(exchange, name);
        if (value == null) {
            return false;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return true;
        }
        if (FALSE.contains(lower) || lower.isEmpty()) {
            return false;
        }
        throw Problems.storageParamsRejected(Map.of(name, "value can't be converted to Bool"));
    }

    /** The {@code token} query parameter checked as the proxy's {@code JsonWebToken} trafaret checks it. */
    private JsonNode token(HttpServerExchange exchange, String op, List<String> required) {
        String raw = param(exchange, "token");
        if (raw == null) {
            throw Problems.storageParamsRejected(Map.of("token", "is required"));
        }
        JsonNode claims;
        try {
            claims = tokens.verify(raw);
        } catch (StorageTokens.Refused refused) {
            throw Problems.storageParamsRejected(Map.of("token", "cannot decode the given value as JWT: "
                    + refused.getMessage()));
        }
        if (!op.equals(claims.path("op").asText())) {
            throw Problems.storageParamsRejected(Map.of("token", Map.of("op", "value is not exactly '" + op + "'")));
        }
        for (String key : required) {
            if (!claims.has(key)) {
                throw Problems.storageParamsRejected(Map.of("token", Map.of(key, "is required")));
            }
        }
        return claims;
    }

    // --- answers -------------------------------------------------------------------------------------

    private static void json(HttpServerExchange exchange, int status, Object body) {
        try {
            send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body), Map.of());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void problem(HttpServerExchange exchange, ApiError error) {
        try {
            send(exchange, error.status(), "application/problem+json", JSON.writeValueAsBytes(error.body()),
                    error.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void plain(HttpServerExchange exchange, int status, String text) {
        send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    private static void empty(HttpServerExchange exchange, int status, Map<String, String> headers) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(status);
        headers.forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        if (!headers.containsKey("Content-Length")) {
            exchange.setResponseContentLength(0);
        }
        exchange.endExchange();
    }

    private static void send(HttpServerExchange exchange, int status, String contentType, byte[] body,
                             Map<String, String> headers) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        headers.forEach((name, value) -> exchange.getResponseHeaders().put(HttpString.tryFromString(name), value));
        exchange.setResponseContentLength(body.length);
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    /** {@code attachment;filename="<ascii>"; filename*=UTF-8''<percent-encoded>}, as the proxy builds it. */
    static String attachment(String filename) {
        String ascii = filename.codePoints().filter(c -> c < 128)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString()
                .replace("\"", "\\\"");
        return "attachment;filename=\"" + ascii + "\"; filename*=UTF-8''" + quote(filename);
    }

    /** {@code urllib.parse.quote}: everything but letters, digits, {@code _.-~} and {@code /} percent-encoded. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "_.-~/".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    /** The HEAD answer's own {@code Last-Modified} rendering: no zero padding ({@code Mon, 5 Jan 2025 3:4:5 GMT}). */
    static String lastModifiedOfHead(Instant modified) {
        ZonedDateTime t = modified.atZone(ZoneOffset.UTC);
        return DateTimeFormatter.ofPattern("EEE", Locale.ENGLISH).format(t) + ", " + t.getDayOfMonth() + " "
                + DateTimeFormatter.ofPattern("MMM", Locale.ENGLISH).format(t) + " " + t.getYear() + " " + t.getHour()
                + ":" + t.getMinute() + ":" + t.getSecond() + " GMT";
    }

    private static double seconds(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static boolean etagMatches(String etag, String header) {
        for (String candidate : header.split(",")) {
            String value = candidate.trim();
            if (value.equals("*") || value.replaceFirst("^W/", "").equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static ZonedDateTime httpDate(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException notADate) {
            return null;
        }
    }
}
