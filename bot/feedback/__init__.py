""""Did this help?": one question a week after a referral, only if the citizen agreed."""
