package bai.scenarios.emulator.sessions;

import java.math.BigDecimal;
import java.math.BigInteger;

/** An emulated agent of the {@code default} scaling group: finite cpu and memory slots. */
public final class Agent {
    private final String id;
    private final BigDecimal cpu;
    private final BigInteger mem;
    private final String firstContact = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString();
    private BigDecimal usedCpu = BigDecimal.ZERO;
    private BigInteger usedMem = BigInteger.ZERO;

    public Agent(String id, BigDecimal cpu, BigInteger mem) {
        this.id = id;
        this.cpu = cpu;
        this.mem = mem;
    }

    public String id() {
        return id;
    }

    boolean fits(BigDecimal wantCpu, BigInteger wantMem) {
        return usedCpu.add(wantCpu).compareTo(cpu) <= 0 && usedMem.add(wantMem).compareTo(mem) <= 0;
    }

    void reserve(BigDecimal wantCpu, BigInteger wantMem) {
        usedCpu = usedCpu.add(wantCpu);
        usedMem = usedMem.add(wantMem);
    }

    void release(BigDecimal freedCpu, BigInteger freedMem) {
        usedCpu = usedCpu.subtract(freedCpu).max(BigDecimal.ZERO);
        usedMem = usedMem.subtract(freedMem).max(BigInteger.ZERO);
    }

    /** When the agent joined (the emulator's start): the manager's {@code first_contact}. */
    public String firstContact() {
        return firstContact;
    }

    public BigDecimal cpu() {
        return cpu;
    }

    public BigInteger mem() {
        return mem;
    }

    public BigDecimal usedCpu() {
        return usedCpu;
    }

    public BigInteger usedMem() {
        return usedMem;
    }
}
