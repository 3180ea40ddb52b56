"""Every SMS the portal sends: the DLT templates, in one place.

Indian DLT rules (LIBRARIES.md, domain.md): each text below is registered on
the DLT portal as it is printed by ``manage.py sms_templates``, Hindi and
English as separate templates. Loaded by ``MessagingConfig.ready`` (through
``messaging.registry.load``), so a process that never imported the code that
sends a message can still render it.

Amounts, case and registration numbers and dates contain ``₹ , / -`` and are
untyped ``{#var#}`` variables; OTPs and phase numbers are ``{#numeric#}``.
"""

from __future__ import annotations

from messaging.registry import Registry, VarType

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
# Reminders to unregistered defaulters before a phase ends (DESIGN §4.4).
REMINDER_NEXT_PHASE = "defaulter_reminder_next_phase"
REMINDER_LAST_PHASE = "defaulter_reminder_last_phase"


def register_all(registry: Registry) -> None:
    numeric, var = VarType.NUMERIC, VarType.VAR
    registry.register(
        OTP,
        hi="MVVNL RED पोर्टल: आपका ओटीपी {code} है। यह 10 मिनट तक मान्य है। इसे किसी को न "
           "बताएँ।",
        en="MVVNL RED portal: your OTP is {code}. It is valid for 10 minutes. "
           "Do not share it with anyone.",
        variables={"code": numeric},
    )
    registry.register(
        ASSISTED_CONSENT,
        hi="MVVNL: अधिकारी {officer} आपके मामले {case} हेतु OTS पंजीकरण कर रहे हैं। सहमति "
           "हो तो उन्हें ओटीपी {code} बताएँ (10 मिनट तक मान्य)।",
        en="MVVNL: officer {officer} is registering your case {case} for OTS. If you agree, "
           "tell them the OTP {code} (valid 10 minutes).",
        variables={"officer": var, "case": var, "code": numeric},
    )
    registry.register(
        REGISTRATION_CREATED,
        hi="MVVNL OTS: मामला {case} का पंजीकरण {registration} बना। पंजीकरण शुल्क {fee} 48 "
           "घंटे में जमा करें।",
        en="MVVNL OTS: registration {registration} created for case {case}. Pay the "
           "registration fee {fee} within 48 hours.",
        variables={"registration": var, "case": var, "fee": var},
    )
    registry.register(
        FEE_PAID,
        hi="MVVNL OTS: पंजीकरण {registration} का शुल्क प्राप्त हुआ। शेष राशि {balance} "
           "दिनांक {due} तक जमा करें।",
        en="MVVNL OTS: fee received for registration {registration}. Pay the balance "
           "{balance} by {due}.",
        variables={"registration": var, "balance": var, "due": var},
    )
    registry.register(
        SETTLED,
        hi="MVVNL OTS: पंजीकरण {registration} की पूरी राशि प्राप्त हुई। मामला {case} का "
           "समाधान हो गया। प्रमाणपत्र पोर्टल से डाउनलोड करें।",
        en="MVVNL OTS: full amount received for registration {registration}. Case {case} is "
           "settled. Download the certificate from the portal.",
        variables={"registration": var, "case": var},
    )
    registry.register(
        VERIFIED,
        hi="MVVNL OTS: पंजीकरण {registration} का सत्यापन हो गया।",
        en="MVVNL OTS: registration {registration} has been verified.",
        variables={"registration": var},
    )
    registry.register(
        REJECTED,
        hi="MVVNL OTS: पंजीकरण {registration} अस्वीकृत। कारण: {reason}। अपने उपखण्ड कार्यालय "
           "से संपर्क करें।",
        en="MVVNL OTS: registration {registration} rejected. Reason: {reason}. Please "
           "contact your sub-division office.",
        variables={"registration": var, "reason": var},
    )
    registry.register(
        MOBILE_CHANGE_RECEIVED,
        hi="MVVNL OTS: मामला {case} का मोबाइल बदलने का अनुरोध मिला। उपखण्ड कार्यालय जाँच कर "
           "निर्णय SMS से बताएगा।",
        en="MVVNL OTS: request to change the mobile of case {case} received. The "
           "sub-division office will check it and tell you the decision by SMS.",
        variables={"case": var},
    )
    registry.register(
        MOBILE_CHANGE_APPROVED,
        hi="MVVNL OTS: मामला {case} का मोबाइल बदल दिया गया। अब यही मोबाइल दर्ज है; पोर्टल पर "
           "ओटीपी इसी पर आएगा।",
        en="MVVNL OTS: the mobile of case {case} has been changed. This mobile is now on "
           "record; the portal's OTPs will come to it.",
        variables={"case": var},
    )
    registry.register(
        MOBILE_CHANGE_REFUSED,
        hi="MVVNL OTS: मामला {case} का मोबाइल बदलने का अनुरोध अस्वीकृत। कारण: {reason}। अपने "
           "उपखण्ड कार्यालय से संपर्क करें।",
        en="MVVNL OTS: request to change the mobile of case {case} refused. Reason: "
           "{reason}. Please contact your sub-division office.",
        variables={"case": var, "reason": var},
    )
    registry.register(
        REMINDER_NEXT_PHASE,
        hi="MVVNL: बिजली चोरी मामला {case_number}। ओटीएस योजना का चरण {phase} दिनांक "
           "{ends_on} को समाप्त। अभी पंजीकरण पर कुल देय {payable}, अगले चरण से {saving} कम। "
           "RED पोर्टल पर पंजीकरण करें।",
        en="MVVNL: theft case {case_number}. OTS phase {phase} ends on {ends_on}. Register "
           "now and pay {payable} in all, {saving} less than in the next phase. Register on "
           "the RED portal.",
        variables={"case_number": var, "phase": numeric, "ends_on": var, "payable": var,
                   "saving": var},
    )
    # The last phase has no next one: the saving is against the full dues.
    registry.register(
        REMINDER_LAST_PHASE,
        hi="MVVNL: बिजली चोरी मामला {case_number}। ओटीएस योजना दिनांक {ends_on} को समाप्त। "
           "अभी पंजीकरण पर कुल देय {payable}, {saving} की छूट; इसके बाद पूरी राशि की वसूली "
           "होगी। RED पोर्टल पर पंजीकरण करें।",
        en="MVVNL: theft case {case_number}. The OTS scheme ends on {ends_on}. Register now "
           "and pay {payable} in all, saving {saving}; after that the full dues will be "
           "recovered. Register on the RED portal.",
        variables={"case_number": var, "ends_on": var, "payable": var, "saving": var},
    )
