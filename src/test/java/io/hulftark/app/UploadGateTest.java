package io.hulftark.app;

import org.junit.jupiter.api.Test;

import static io.hulftark.app.UploadGate.Admission.ADMITTED;
import static io.hulftark.app.UploadGate.Admission.CREDENTIAL_BUSY;
import static io.hulftark.app.UploadGate.Admission.FULL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UploadGateTest {

    @Test
    void oneCredentialGetsItsShareAndNoMore() {
        UploadGate gate = new UploadGate(2, 10);
        assertThat(gate.acquire("c1")).isEqualTo(ADMITTED);
        assertThat(gate.acquire("c1")).isEqualTo(ADMITTED);
        assertThat(gate.acquire("c1")).isEqualTo(CREDENTIAL_BUSY);
        assertThat(gate.acquire("c2")).as("another credential is not held up").isEqualTo(ADMITTED);
        gate.release("c1");
        assertThat(gate.acquire("c1")).isEqualTo(ADMITTED);
        assertThat(gate.inProgress("c1")).isEqualTo(2);
        assertThat(gate.inProgress()).isEqualTo(3);
    }

    @Test
    void everyoneTogetherStopsAtTheMaximum() {
        UploadGate gate = new UploadGate(2, 3);
        assertThat(gate.acquire("a")).isEqualTo(ADMITTED);
        assertThat(gate.acquire("b")).isEqualTo(ADMITTED);
        assertThat(gate.acquire("c")).isEqualTo(ADMITTED);
        assertThat(gate.acquire("d")).isEqualTo(FULL);
        gate.release("b");
        assertThat(gate.acquire("d")).isEqualTo(ADMITTED);
    }

    @Test
    void aReleasedCredentialLeavesNothingBehindAndCannotBeReleasedTwice() {
        UploadGate gate = new UploadGate(1, 1);
        gate.acquire("c1");
        gate.release("c1");
        assertThat(gate.inProgress()).isZero();
        assertThatThrownBy(() -> gate.release("c1")).isInstanceOf(IllegalStateException.class);
        assertThat(gate.inProgress()).isZero();
    }

    @Test
    void boundsBelowOneAreRefused() {
        assertThatThrownBy(() -> new UploadGate(0, 5)).hasMessageContaining("uploads-per-credential");
    }
}
