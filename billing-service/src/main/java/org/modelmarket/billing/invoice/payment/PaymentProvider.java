package org.modelmarket.billing.invoice.payment;

import org.modelmarket.billing.invoice.Invoice;

/**
 * The port to whoever collects buyers' money. The built-in provider is the bank transfer ({@link BankTransferProvider}):
 * the invoice names an account and a reference, and an admin records the transfer when it arrives. A card or
 * direct-debit processor plugs in as another implementation.
 */
public interface PaymentProvider {

    /** A short name, used in the ledger's cash account ({@code cash:<id>}). */
    String id();

    /** What the buyer needs to pay the invoice. */
    PaymentInstructions instructions(Invoice invoice);

    /** How to pay: the method, where to, and the reference to quote. */
    record PaymentInstructions(String method, String payee, String account, String reference) {}
}
