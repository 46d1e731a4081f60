package org.modelmarket.gateway;

/** Temporary class so the first build resolves every extension; replaced by the service's code. */
final class Placeholder {}
