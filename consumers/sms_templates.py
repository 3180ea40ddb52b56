"""SMS templates of the consumer journey and the registration lifecycle.

Indian DLT rules (domain.md): every text is a registered template with typed
variables; Hindi and English are separate templates. Imported once from
``ConsumersConfig.ready`` so every process knows them before queueing.
"""

from consumers.sms import register_template

OTP = "ots_otp"
REGISTRATION_CREATED = "ots_registration_created"
FEE_PAID = "ots_fee_paid"
SETTLED = "ots_settled"
REJECTED = "ots_rejected"
VERIFIED = "ots_verified"
ASSISTED_CONSENT = "ots_assisted_consent"
MOBILE_CHANGE_RECEIVED = "ots_mobile_change_received"
MOBILE_CHANGE_APPROVED = "ots_mobile_change_approved"
MOBILE_CHANGE_REFUSED = "ots_mobile_change_refused"

register_template(
    OTP,
    hi="MVVNL RED पोर्टल: आपका ओटीपी {code} है। यह 10 मिनट तक मान्य है। इसे किसी को न बताएँ।",
    en="MVVNL RED portal: your OTP is {code}. It is valid for 10 minutes. "
       "Do not share it with anyone.",
    variables=("code",),
)
register_template(
    ASSISTED_CONSENT,
    hi="MVVNL: अधिकारी {officer} आपके मामले {case} हेतु OTS पंजीकरण कर रहे हैं। सहमति हो "
       "तो उन्हें ओटीपी {code} बताएँ (10 मिनट तक मान्य)।",
    en="MVVNL: officer {officer} is registering your case {case} for OTS. If you agree, "
       "tell them the OTP {code} (valid 10 minutes).",
    variables=("officer", "case", "code"),
)
register_template(
    REGISTRATION_CREATED,
    hi="MVVNL OTS: मामला {case} का पंजीकरण {registration} बना। पंजीकरण शुल्क {fee} 48 घंटे "
       "में जमा करें।",
    en="MVVNL OTS: registration {registration} created for case {case}. Pay the "
       "registration fee {fee} within 48 hours.",
    variables=("registration", "case", "fee"),
)
register_template(
    FEE_PAID,
    hi="MVVNL OTS: पंजीकरण {registration} का शुल्क प्राप्त हुआ। शेष राशि {balance} "
       "दिनांक {due} तक जमा करें।",
    en="MVVNL OTS: fee received for registration {registration}. Pay the balance "
       "{balance} by {due}.",
    variables=("registration", "balance", "due"),
)
register_template(
    SETTLED,
    hi="MVVNL OTS: पंजीकरण {registration} की पूरी राशि प्राप्त हुई। मामला {case} का समाधान "
       "हो गया। प्रमाणपत्र पोर्टल से डाउनलोड करें।",
    en="MVVNL OTS: full amount received for registration {registration}. Case {case} is "
       "settled. Download the certificate from the portal.",
    variables=("registration", "case"),
)
register_template(
    VERIFIED,
    hi="MVVNL OTS: पंजीकरण {registration} का सत्यापन हो गया।",
    en="MVVNL OTS: registration {registration} has been verified.",
    variables=("registration",),
)
register_template(
    REJECTED,
    hi="MVVNL OTS: पंजीकरण {registration} अस्वीकृत। कारण: {reason}। अपने उपखण्ड कार्यालय से "
       "संपर्क करें।",
    en="MVVNL OTS: registration {registration} rejected. Reason: {reason}. Please "
       "contact your sub-division office.",
    variables=("registration", "reason"),
)
register_template(
    MOBILE_CHANGE_RECEIVED,
    hi="MVVNL OTS: मामला {case} का मोबाइल बदलने का अनुरोध मिला। उपखण्ड कार्यालय जाँच कर "
       "निर्णय SMS से बताएगा।",
    en="MVVNL OTS: request to change the mobile of case {case} received. The sub-division "
       "office will check it and tell you the decision by SMS.",
    variables=("case",),
)
register_template(
    MOBILE_CHANGE_APPROVED,
    hi="MVVNL OTS: मामला {case} का मोबाइल बदल दिया गया। अब यही मोबाइल दर्ज है; पोर्टल पर "
       "ओटीपी इसी पर आएगा।",
    en="MVVNL OTS: the mobile of case {case} has been changed. This mobile is now on "
       "record; the portal's OTPs will come to it.",
    variables=("case",),
)
register_template(
    MOBILE_CHANGE_REFUSED,
    hi="MVVNL OTS: मामला {case} का मोबाइल बदलने का अनुरोध अस्वीकृत। कारण: {reason}। अपने "
       "उपखण्ड कार्यालय से संपर्क करें।",
    en="MVVNL OTS: request to change the mobile of case {case} refused. Reason: {reason}. "
       "Please contact your sub-division office.",
    variables=("case", "reason"),
)
