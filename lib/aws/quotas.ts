/** ALB quota "Certificates per Application Load Balancer listener", not counting the default certificate. */
export const MAX_SNI_CERTIFICATES_PER_LISTENER = 25;
