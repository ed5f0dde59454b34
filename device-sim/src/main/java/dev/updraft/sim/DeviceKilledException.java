package dev.updraft.sim;

/** Thrown inside a device's own thread when {@link SimulatedDevice#kill()} stops its process mid-operation. */
public final class DeviceKilledException extends RuntimeException {
    public DeviceKilledException() {
        super("the app process was killed", null, false, false);
    }
}
