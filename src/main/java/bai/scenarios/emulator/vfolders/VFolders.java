package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.AccessLevel;
import bai.scenarios.emulator.http.Router;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.StateLock;
import bai.scenarios.emulator.threads.Background;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The emulator's virtual folders: the registry (rows under the state lock), the volume (real
 * directories under the emulator's data root), the storage proxy (its own server), the background
 * tasks, and the manager's {@code /folders} routes over them. Started and closed with the emulator.
 */
public final class VFolders implements AutoCloseable {
    /** Parent of the emulator's data root (default: the system temporary directory). */
    public static final String DATA_ROOT_SETTING = "bai.emulator.data-root";
    /** The storage proxy's port on loopback (default 0: a free one). */
    public static final String PROXY_PORT_SETTING = "bai.emulator.storage-proxy-port";
    /** How long upload and download tokens stay valid, in seconds (default 86400, the halfstack's 1d). */
    public static final String SESSION_EXPIRE_SETTING = "bai.emulator.storage-session-expire-seconds";

    /** Where the data root goes, where the proxy listens, and how long its tokens live. */
    public record Settings(Path dataRootParent, int proxyPort, Duration sessionLifetime) {
        /** The settings from the {@code bai.emulator.*} system properties. */
        public static Settings fromSystemProperties() {
            Path parent = Optional.ofNullable(System.getProperty(DATA_ROOT_SETTING)).map(String::trim)
                    .filter(v -> !v.isEmpty()).map(Path::of)
                    .orElse(Path.of(System.getProperty("java.io.tmpdir")));
            return new Settings(parent, Integer.getInteger(PROXY_PORT_SETTING, 0),
                    Duration.ofSeconds(Long.getLong(SESSION_EXPIRE_SETTING, 86_400L)));
        }

        public Settings withSessionLifetime(Duration lifetime) {
            return new Settings(dataRootParent, proxyPort, lifetime);
        }
    }

    /**
     * The half of the folders that needs no manager state: the data root and the storage proxy's
     * server. The emulator starts it on its starting thread, so that a storage proxy port already
     * in use fails the start itself; the rest ({@link #attach}) follows on the initialisation thread.
     */
    public static final class Storage implements AutoCloseable {
        private final Volume volume;
        private final StorageProxy proxy;

        private Storage(Volume volume, StorageProxy proxy) {
            this.volume = volume;
            this.proxy = proxy;
        }

        /**
         * Makes the data root and starts the storage proxy on {@code host} (a loopback address).
         * The data roots of emulators that died without cleaning up are removed meanwhile on the
         * storage pool (only roots whose owner process is gone: never this emulator's).
         */
        public static Storage start(Background background, String host, Settings settings) {
            Volume volume = Volume.create(settings.dataRootParent());
            StorageProxy proxy = new StorageProxy(volume, background, settings.sessionLifetime(), Clock.systemUTC());
            try {
                proxy.start(host, settings.proxyPort());
            } catch (RuntimeException e) {
                volume.close();
                throw e;
            }
            try {
                background.storage().execute(Background.guarded("removing stale data roots",
                        () -> Volume.reapStaleRoots(settings.dataRootParent())));
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the pool is closed already: the next emulator to start removes them
            }
            return new Storage(volume, proxy);
        }

        /** The storage proxy's client API base URL. */
        public String proxyUrl() {
            return proxy.clientApiUrl();
        }

        /** The emulator's data root (the folders' files live below it). */
        public Path dataRoot() {
            return volume.root();
        }

        /** Stops the proxy's server only (the emulator stops both servers at once, then calls {@link #close}). */
        public Runnable stopper(Duration grace) {
            return () -> proxy.stop(grace);
        }

        /** Stops the proxy (a short grace, if not stopped already) and removes the data root. Takes no lock. */
        @Override
        public void close() {
            proxy.stop(Duration.ofSeconds(3));
            volume.close();
        }
    }

    private final VFolderRegistry registry;
    private final Volume volume;
    private final StorageProxy proxy;
    private final BackgroundTasks tasks;
    private final VFolderContext ctx;
    private final VFolderService folders;
    private final VFolderFiles files;
    private final VFolderSharing sharing;
    private final VFolderAdmin admin;
    private final SessionMounts mounts;

    private VFolders(VFolderRegistry registry, Volume volume, StorageProxy proxy, Background background) {
        this.registry = registry;
        this.volume = volume;
        this.proxy = proxy;
        this.tasks = new BackgroundTasks();
        this.ctx = new VFolderContext(registry, volume, proxy, tasks, background);
        this.folders = new VFolderService(ctx);
        this.files = new VFolderFiles(ctx);
        this.sharing = new VFolderSharing(ctx);
        this.admin = new VFolderAdmin(ctx, folders);
        this.mounts = new SessionMounts(registry, volume);
    }

    /**
     * The folders' subsystem over a started {@link Storage}: the registry (its state lives under
     * {@code state}, the emulator's one lock), the manager's {@code /folders} routes and their
     * background tasks. {@link #close} ends the tasks; the storage is closed on its own.
     */
    public static VFolders attach(StateLock state, Directory directory, Background background, Storage storage) {
        return new VFolders(new VFolderRegistry(state, directory), storage.volume, storage.proxy, background);
    }

    public VFolderRegistry registry() {
        return registry;
    }

    public SessionMounts mounts() {
        return mounts;
    }

    public VFolderAdmin admin() {
        return admin;
    }

    public BackgroundTasks tasks() {
        return tasks;
    }

    /** The manager's {@code /folders} routes, with their access levels (every body: the 1 MiB default). */
    public void register(Router router) {
        router.add("POST", "/folders", AccessLevel.USER, folders::create);
        router.add("GET", "/folders", AccessLevel.USER, folders::list);
        router.add("DELETE", "/folders", AccessLevel.USER, folders::deleteById);
        router.add("GET", "/folders/{name}", AccessLevel.USER, folders::info);
        router.add("DELETE", "/folders/{name}", AccessLevel.USER, folders::deleteByName);
        router.add("GET", "/folders/_/id", AccessLevel.USER, folders::idByName);
        router.add("GET", "/folders/_/hosts", AccessLevel.USER, folders::hosts);
        router.add("GET", "/folders/_/all-hosts", AccessLevel.SUPERADMIN, folders::allHosts);
        router.add("GET", "/folders/_/all_hosts", AccessLevel.SUPERADMIN, folders::allHosts);
        router.add("GET", "/folders/_/allowed-types", AccessLevel.USER, folders::allowedTypes);
        router.add("GET", "/folders/_/allowed_types", AccessLevel.USER, folders::allowedTypes);
        router.add("POST", "/folders/{name}/rename", AccessLevel.USER, folders::rename);
        router.add("POST", "/folders/{name}/update-options", AccessLevel.USER, folders::updateOptions);
        router.add("POST", "/folders/{name}/mkdir", AccessLevel.USER, files::mkdir);
        router.add("POST", "/folders/{name}/request-upload", AccessLevel.USER, files::requestUpload);
        router.add("POST", "/folders/{name}/request-download", AccessLevel.USER, files::requestDownload);
        router.add("POST", "/folders/{name}/request-download-archive", AccessLevel.USER, files::requestDownloadArchive);
        router.add("POST", "/folders/{name}/move-file", AccessLevel.USER, files::moveFile);
        router.add("POST", "/folders/{name}/rename-file", AccessLevel.USER, files::renameFile);
        router.add("POST", "/folders/{name}/rename_file", AccessLevel.USER, files::renameFile);
        router.add("POST", "/folders/{name}/delete-files", AccessLevel.USER, files::deleteFiles);
        router.add("DELETE", "/folders/{name}/delete-files", AccessLevel.USER, files::deleteFiles);
        router.add("DELETE", "/folders/{name}/delete_files", AccessLevel.USER, files::deleteFiles);
        router.add("POST", "/folders/{name}/delete-files-async", AccessLevel.USER, files::deleteFilesAsync);
        router.add("GET", "/folders/{name}/files", AccessLevel.USER, files::list);
        router.add("POST", "/folders/{name}/invite", AccessLevel.USER, sharing::invite);
        router.add("POST", "/folders/{name}/leave", AccessLevel.USER, sharing::leave);
        router.add("POST", "/folders/{name}/share", AccessLevel.ADMIN, sharing::share);
        router.add("POST", "/folders/{name}/unshare", AccessLevel.ADMIN, sharing::unshare);
        router.add("DELETE", "/folders/{name}/unshare", AccessLevel.ADMIN, sharing::unshare);
        router.add("POST", "/folders/{name}/clone", AccessLevel.USER, folders::clone);
        router.add("POST", "/folders/purge", AccessLevel.USER, folders::purge);
        router.add("POST", "/folders/restore-from-trash-bin", AccessLevel.USER, folders::restore);
        router.add("POST", "/folders/delete-from-trash-bin", AccessLevel.USER, folders::deleteForever);
        router.add("DELETE", "/folders/{folder_id}/force", AccessLevel.USER, folders::forceDelete);
        router.add("GET", "/folders/invitations/list-sent", AccessLevel.USER, sharing::sent);
        router.add("GET", "/folders/invitations/list_sent", AccessLevel.USER, sharing::sent);
        router.add("POST", "/folders/invitations/update/{inv_id}", AccessLevel.USER, sharing::update);
        router.add("GET", "/folders/invitations/list", AccessLevel.USER, sharing::received);
        router.add("POST", "/folders/invitations/accept", AccessLevel.USER, sharing::accept);
        router.add("POST", "/folders/invitations/delete", AccessLevel.USER, sharing::reject);
        router.add("DELETE", "/folders/invitations/delete", AccessLevel.USER, sharing::reject);
    }

    /** Ends the background tasks' streams. Takes no lock. */
    @Override
    public void close() {
        tasks.close();
    }
}
