"""Rendez's booking schema. One module per business idea; import from here."""

from .availability_version import AvailabilityVersion
from .business import Business, validate_time_zone
from .busy_times import BusyTime, OutsideCalendar
from .clients import Client, Label
from .discounts import DiscountCode, DiscountKind, DiscountRedemption
from .earlier_times import EarlierNoticeStatus, EarlierTimeNotice, EarlierTimeRequest, EarlierTimeStatus
from .emails import BookingEmailSetting, EmailStatus, OutgoingEmail
from .events import Actor, DomainEvent, EventDelivery, EventKind
from .feeds import CalendarFeed, FeedKind
from .membership_states import MEMBER_STATUSES, Billing, MembershipStatus, TestCard
from .memberships import MembershipFreeze, MembershipRenewal, RenewalStatus
from .payments import (
    Payment,
    PaymentLedgerEntry,
    PaymentRefund,
    PaymentStatus,
    ProcessedProviderEvent,
    RefundStatus,
)
from .people import User, UserManager
from .plan_orders import PLAN_ORDER, PLAN_PURCHASED, PLAN_REFUNDED, PlanOrder, PlanOrderStatus
from .plans import ClientPlan, ClientPlanSource, MembershipPeriod, Plan, PlanCreditUse, PlanKind, ValidFrom
from .receipts import Receipt, ReceiptCounter, ReceiptSeries
from .services import ClassSchedule, PaymentPolicy, Question, QuestionKind, RefundPolicy, Service, ServiceKind
from .sessions import (
    LIVE_STATUSES,
    Attendance,
    Booking,
    BookingSource,
    BookingStatus,
    PaymentMethod,
    Session,
    SessionStatus,
)
from .staff import WEEKDAYS, DateOverride, StaffMember, TimeOff, WorkingHours
from .waitlist import LIVE_WAITLIST_STATUSES, WaitlistEntry, WaitlistMode, WaitlistStatus
from .workers import WorkerHeartbeat

__all__ = [
    "LIVE_STATUSES",
    "MEMBER_STATUSES",
    "Billing",
    "MembershipFreeze",
    "MembershipPeriod",
    "MembershipRenewal",
    "MembershipStatus",
    "RenewalStatus",
    "TestCard",
    "LIVE_WAITLIST_STATUSES",
    "WEEKDAYS",
    "Actor",
    "Attendance",
    "AvailabilityVersion",
    "Booking",
    "BookingEmailSetting",
    "BookingSource",
    "BookingStatus",
    "Business",
    "BusyTime",
    "CalendarFeed",
    "ClassSchedule",
    "Client",
    "ClientPlan",
    "ClientPlanSource",
    "DateOverride",
    "DiscountCode",
    "DiscountKind",
    "DiscountRedemption",
    "DomainEvent",
    "EarlierNoticeStatus",
    "EarlierTimeNotice",
    "EarlierTimeRequest",
    "EarlierTimeStatus",
    "EventDelivery",
    "EmailStatus",
    "EventKind",
    "FeedKind",
    "Label",
    "OutgoingEmail",
    "OutsideCalendar",
    "Payment",
    "Plan",
    "PlanCreditUse",
    "PlanKind",
    "PLAN_ORDER",
    "PLAN_PURCHASED",
    "PLAN_REFUNDED",
    "PlanOrder",
    "PlanOrderStatus",
    "PaymentLedgerEntry",
    "PaymentMethod",
    "PaymentPolicy",
    "PaymentRefund",
    "PaymentStatus",
    "ProcessedProviderEvent",
    "Question",
    "Receipt",
    "ReceiptCounter",
    "ReceiptSeries",
    "QuestionKind",
    "RefundPolicy",
    "RefundStatus",
    "Service",
    "ServiceKind",
    "Session",
    "SessionStatus",
    "StaffMember",
    "TimeOff",
    "User",
    "ValidFrom",
    "UserManager",
    "WaitlistEntry",
    "WaitlistMode",
    "WaitlistStatus",
    "WorkerHeartbeat",
    "WorkingHours",
    "validate_time_zone",
]
