package bai.scenarios.client.storage;

import bai.scenarios.client.CallRefused;

/**
 * The storage proxy refused a transfer, e.g. {@code 404 storage/file-not-found} or
 * {@code 409 storage/upload-offset-mismatch}. {@link #code()} is the problem type's last part
 * after {@code /probs/} (so {@code storage/file-not-found}), or null when the answer had none.
 */
public final class StorageRefusal extends CallRefused {
    private static final String TYPE_PREFIX = "https://api.backend.ai/probs/";
    private final String call;
    private final int status;
    private final String type;
    private final String title;

    StorageRefusal(String call, int status, String type, String title) {
        super(call + " was refused by the storage proxy: " + status + (type == null ? "" : " " + slug(type))
                + (title == null ? "" : " (" + title + ")"));
        this.call = call;
        this.status = status;
        this.type = type;
        this.title = title;
    }

    private static String slug(String type) {
        return type != null && type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    /** The refused call, e.g. {@code PATCH http://127.0.0.1:6021/upload?token=<redacted>}. */
    public String call() {
        return call;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String code() {
        return slug(type);
    }

    @Override
    public String reason() {
        return status + (type == null ? "" : " " + slug(type)) + (title == null ? "" : " (" + title + ")");
    }
}
