/**
 * Stripe's test PaymentMethods (https://docs.stripe.com/testing): `pm_card_visa`
 * pays, `pm_card_chargeDeclined…` decline with the codes Stripe documents for
 * the matching test card numbers, `pm_card_refundFail`'s refunds fail later.
 */
export interface Decline {
  code: string;
  declineCode: string;
  message: string;
  param?: string;
  outcome: {
    networkStatus: 'declined_by_network' | 'not_sent_to_network';
    type: 'issuer_declined' | 'blocked';
    reason: string;
    sellerMessage: string;
  };
}

export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit';
  decline?: Decline;
}

const issuerDeclined = (reason: string) => ({
  networkStatus: 'declined_by_network' as const,
  type: 'issuer_declined' as const,
  reason,
  sellerMessage: 'The bank did not return any further details with this decline.',
});

export const testPaymentMethods: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', funding: 'credit' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556', funding: 'debit' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit' },
  pm_card_amex: { brand: 'amex', last4: '8431', funding: 'credit' },
  // Pays; a refund of it fails later with expired_or_canceled_card (bank/refund-fail-card.ts).
  pm_card_refundFail: { brand: 'visa', last4: '5126', funding: 'credit' },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    funding: 'credit',
    decline: {
      code: 'card_declined',
      declineCode: 'generic_decline',
      message: 'Your card was declined.',
      outcome: issuerDeclined('generic_decline'),
    },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    funding: 'credit',
    decline: {
      code: 'card_declined',
      declineCode: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
      outcome: issuerDeclined('insufficient_funds'),
    },
  },
  pm_card_chargeDeclinedFraudulent: {
    brand: 'visa',
    last4: '0019',
    funding: 'credit',
    decline: {
      code: 'card_declined',
      declineCode: 'fraudulent',
      message: 'Your card was declined.',
      outcome: {
        networkStatus: 'not_sent_to_network',
        type: 'blocked',
        reason: 'highest_risk_level',
        sellerMessage: 'Stripe blocked this payment as too risky.',
      },
    },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    funding: 'credit',
    decline: {
      code: 'expired_card',
      declineCode: 'expired_card',
      message: 'Your card has expired.',
      param: 'exp_month',
      outcome: issuerDeclined('expired_card'),
    },
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: 'visa',
    last4: '0127',
    funding: 'credit',
    decline: {
      code: 'incorrect_cvc',
      declineCode: 'incorrect_cvc',
      message: "Your card's security code is incorrect.",
      param: 'cvc',
      outcome: issuerDeclined('incorrect_cvc'),
    },
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: 'visa',
    last4: '0119',
    funding: 'credit',
    decline: {
      code: 'processing_error',
      declineCode: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
      outcome: issuerDeclined('processing_error'),
    },
  },
};

/** The test card behind a PaymentMethod made from one of the tokens above. */
export function testCardFor(brand: string, last4: string): TestCard | undefined {
  return Object.values(testPaymentMethods).find((card) => card.brand === brand && card.last4 === last4);
}
