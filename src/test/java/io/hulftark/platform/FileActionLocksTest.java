package io.hulftark.platform;

import io.hulftark.kit.ActionLocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileActionLocksTest {

    @TempDir
    Path dir;

    @Test
    void aSecondHolderWaitsUntilTheFirstLetsGo() throws Exception {
        FileActionLocks locks = new FileActionLocks(dir);
        CountDownLatch acquired = new CountDownLatch(1);
        ActionLocks.Held first = locks.acquire("hulft", Duration.ofSeconds(1));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try (ActionLocks.Held h = locks.acquire("hulft", Duration.ofSeconds(10))) {
                acquired.countDown();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(acquired.await(300, TimeUnit.MILLISECONDS)).as("must wait while the lock is held").isFalse();
        first.close();
        second.get(5, TimeUnit.SECONDS);
        assertThat(acquired.getCount()).isZero();
    }

    @Test
    void aBusyLockGivesUpAtItsBound() throws Exception {
        FileActionLocks locks = new FileActionLocks(dir);
        try (ActionLocks.Held h = locks.acquire("hulft", Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> locks.acquire("hulft", Duration.ofMillis(200))).isInstanceOf(ActionLocks.Busy.class);
        }
        locks.acquire("hulft", Duration.ofMillis(200)).close();
    }

    @Test
    void differentTagsDoNotBlockEachOther() throws Exception {
        FileActionLocks locks = new FileActionLocks(dir);
        try (ActionLocks.Held a = locks.acquire("a", Duration.ofSeconds(1));
             ActionLocks.Held b = locks.acquire("b", Duration.ofMillis(100))) {
            assertThat(locks.lockFile("a")).exists();
        }
    }

    @Test
    void tagsBecomeSafeFileNames() {
        assertThat(FileActionLocks.fileName("hulft-1_a.b")).isEqualTo("hulft-1_a.b");
        assertThat(FileActionLocks.fileName("../x y")).isEqualTo("%2E.%2Fx%20y");
        assertThat(FileActionLocks.fileName("ハ")).isEqualTo("%E3%83%8F");
    }
}
