package bai.scenarios.emulator.vfolders;

import bai.scenarios.emulator.http.ApiError;
import bai.scenarios.emulator.http.ApiResponse;
import bai.scenarios.emulator.http.Caller;
import bai.scenarios.emulator.http.Problems;
import bai.scenarios.emulator.state.Directory;
import bai.scenarios.emulator.state.Entities.Keypair;
import bai.scenarios.emulator.threads.Background;
import bai.scenarios.emulator.vfolders.VFolderRegistry.Who;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * What the vfolder handlers share: the registry (under the state lock), the volume (disk, on the
 * storage pool), the storage proxy (its tokens and upload sessions), and the background tasks.
 *
 * <p>Every handler follows one shape: decide under the state lock (resolve the folder, check
 * permissions, change rows), then, if the disk is involved, answer {@link #later} from the storage
 * pool, and if the outcome changes rows again, take the lock again for that. The lock is never held
 * across disk I/O, and no request worker waits for the disk.
 */
final class VFolderContext {
    final VFolderRegistry registry;
    final Directory directory;
    final Volume volume;
    final StorageProxy proxy;
    final BackgroundTasks tasks;
    final Background background;

    VFolderContext(VFolderRegistry registry, Volume volume, StorageProxy proxy, BackgroundTasks tasks,
                   Background background) {
        this.registry = registry;
        this.directory = registry.directory();
        this.volume = volume;
        this.proxy = proxy;
        this.tasks = tasks;
        this.background = background;
    }

    /** The manager's view of the caller: the user, role and domain, the keypair's admin flag and policy. */
    Who who(Caller caller) {
        String policy = directory.keypair(caller.accessKey()).map(Keypair::resourcePolicy).orElse(null);
        return new Who(caller.userId(), caller.email(), caller.role(), caller.domainName(), caller.keypairIsAdmin(),
                policy);
    }

    <T> T locked(Supplier<T> action) {
        return registry.locked(action);
    }

    Path folderPath(VFolder folder) {
        return volume.folderPath(folder.quotaScopeId, folder.id);
    }

    /**
     * Answers from the storage pool: {@code work} runs there (disk I/O allowed, the state lock
     * not held), and its answer or error reaches the client without a request worker waiting.
     */
    ApiResponse later(Supplier<ApiResponse> work) {
        registry.state().requireNotHeld("answering from the storage pool");
        return ApiResponse.later(CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } catch (Volume.StorageException failure) {
                throw new CompletionException(asManagerError(failure));
            }
        }, background.storage()));
    }

    /**
     * How the manager reports an error of the storage proxy's manager API
     * ({@code StorageProxyHTTPClient._handle_vfolder_failure}): a 404 is VFolderNotFound, a 400
     * VFolderBadRequest.
     */
    static ApiError asManagerError(Volume.StorageException failure) {
        return failure.kind == Volume.StorageException.Kind.FOLDER_NOT_FOUND
                ? Problems.vfolderNotFound("Requested resource not found", null)
                : Problems.vfolderBadRequest("Bad request to storage proxy");
    }
}
