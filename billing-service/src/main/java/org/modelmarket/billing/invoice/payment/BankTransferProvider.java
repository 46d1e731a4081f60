package org.modelmarket.billing.invoice.payment;

import jakarta.enterprise.context.ApplicationScoped;

import org.modelmarket.billing.config.BillingConfig;
import org.modelmarket.billing.invoice.Invoice;

import io.quarkus.arc.DefaultBean;

/** Invoice / bank transfer: no external processor; the buyer transfers the total quoting the invoice's reference. */
@ApplicationScoped
@DefaultBean
public class BankTransferProvider implements PaymentProvider {

    private final String payee;
    private final String account;

    public BankTransferProvider(BillingConfig config) {
        this.payee = config.bankTransfer().payee();
        this.account = config.bankTransfer().account();
    }

    @Override
    public String id() {
        return "bank-transfer";
    }

    @Override
    public PaymentInstructions instructions(Invoice invoice) {
        return new PaymentInstructions("bank-transfer", payee, account, invoice.paymentReference);
    }
}
