package org.modelmarket.search;

/** Temporary class so the first build resolves every extension; replaced by the service's code. */
final class Placeholder {}
