"""Baseline: the schema as salonbot created it before it had migrations (December 2026).

A database made by `create_all` of that version is adopted at this revision
(bot.persistence.database.Database.migrate); every later change of the
schema is a migration after it.

Revision ID: 0001_baseline
Revises: (none)
Create Date: 2026-12-07
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('salon',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('notification_phone', sa.String(length=20), nullable=True),
    sa.Column('twilio_account_sid', sa.String(length=64), nullable=True),
    sa.Column('twilio_auth_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('setup_version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_salon')),
    sa.UniqueConstraint('slug', name=op.f('uq_salon_slug'))
    )
    op.create_table('client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_client_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client')),
    sa.UniqueConstraint('salon_id', 'phone', name='uq_client_salon_phone')
    )
    op.create_index(op.f('ix_client_salon_id'), 'client', ['salon_id'], unique=False)

    op.create_table('closure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_closure_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closure'))
    )
    op.create_index(op.f('ix_closure_salon_id'), 'closure', ['salon_id'], unique=False)

    op.create_table('opening_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_opening_hours_weekday')),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_opening_hours_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_hours'))
    )
    op.create_index(op.f('ix_opening_hours_salon_id'), 'opening_hours', ['salon_id'], unique=False)

    op.create_table('salon_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('allow_self_reschedule', sa.Boolean(), nullable=False),
    sa.Column('reschedule_notice_hours', sa.Integer(), nullable=False),
    sa.Column('allow_self_cancel', sa.Boolean(), nullable=False),
    sa.Column('cancel_notice_hours', sa.Integer(), nullable=False),
    sa.Column('online_grace_minutes', sa.Integer(), nullable=False),
    sa.Column('cancellation_policy', sa.Text(), nullable=False),
    sa.Column('cancellation_policy_es', sa.Text(), nullable=False),
    sa.Column('booking_horizon_days', sa.Integer(), nullable=False),
    sa.Column('slot_step_minutes', sa.Integer(), nullable=False),
    sa.Column('max_self_reschedules', sa.Integer(), nullable=False),
    sa.Column('reminder_hours_before', sa.Integer(), nullable=False),
    sa.Column('quiet_hours_start', sa.Time(), nullable=False),
    sa.Column('quiet_hours_end', sa.Time(), nullable=False),
    sa.Column('followup_days', sa.Integer(), nullable=False),
    sa.Column('offer_minutes', sa.Integer(), nullable=False),
    sa.Column('twilio_default_keywords', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_salon_settings_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_salon_settings')),
    sa.UniqueConstraint('salon_id', name=op.f('uq_salon_settings_salon_id'))
    )
    op.create_table('service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_es', sa.String(length=120), nullable=True),
    sa.Column('default_minutes', sa.Integer(), nullable=False),
    sa.Column('processing_minutes', sa.Integer(), nullable=False),
    sa.Column('finishing_minutes', sa.Integer(), nullable=False),
    sa.Column('buffer_minutes', sa.Integer(), nullable=False),
    sa.Column('online_booking', sa.Boolean(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.CheckConstraint('default_minutes > 0', name=op.f('ck_service_default_minutes_positive')),
    sa.CheckConstraint('processing_minutes >= 0 AND finishing_minutes >= 0 AND buffer_minutes >= 0', name=op.f('ck_service_phases_not_negative')),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_service_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service'))
    )
    op.create_index(op.f('ix_service_salon_id'), 'service', ['salon_id'], unique=False)

    op.create_table('sms_number',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_sms_number_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_number')),
    sa.UniqueConstraint('phone', name=op.f('uq_sms_number_phone'))
    )
    op.create_table('staff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_staff_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff'))
    )
    op.create_index(op.f('ix_staff_salon_id'), 'staff', ['salon_id'], unique=False)

    op.create_table('appointment_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('primary_client_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['primary_client_id'], ['client.id'], name=op.f('fk_appointment_group_primary_client_id_client')),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_appointment_group_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_group'))
    )
    op.create_index(op.f('ix_appointment_group_salon_id'), 'appointment_group', ['salon_id'], unique=False)

    op.create_table('conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('handed_off', sa.Boolean(), nullable=False),
    sa.Column('flag', sa.String(length=64), nullable=True),
    sa.Column('flagged_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_conversation_client_id_client'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_conversation_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation')),
    sa.UniqueConstraint('salon_id', 'channel', 'address', name='uq_conversation_salon_channel_address')
    )
    op.create_index(op.f('ix_conversation_client_id'), 'conversation', ['client_id'], unique=False)

    op.create_table('time_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_time_off_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_off'))
    )
    op.create_index('ix_time_off_staff_starts', 'time_off', ['staff_id', 'starts_at'], unique=False)

    op.create_table('working_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_working_hours_weekday')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_working_hours_staff_id_staff'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_hours'))
    )
    op.create_index(op.f('ix_working_hours_staff_id'), 'working_hours', ['staff_id'], unique=False)

    op.create_table('appointment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('booked_via', sa.String(length=8), nullable=False),
    sa.Column('booked_at', sa.DateTime(), nullable=False),
    sa.Column('self_reschedules', sa.Integer(), nullable=False),
    sa.Column('canceled_at', sa.DateTime(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_appointment_client_id_client'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['appointment_group.id'], name=op.f('fk_appointment_group_id_appointment_group'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_appointment_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment'))
    )
    op.create_index('ix_appointment_client_status', 'appointment', ['client_id', 'status'], unique=False)
    op.create_index(op.f('ix_appointment_group_id'), 'appointment', ['group_id'], unique=False)
    op.create_index(op.f('ix_appointment_salon_id'), 'appointment', ['salon_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('author', sa.String(length=8), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('provider_sid', sa.String(length=64), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('intent', sa.String(length=24), nullable=True),
    sa.Column('num_media', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_message_conversation_id_conversation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('provider_sid', name=op.f('uq_message_provider_sid'))
    )
    op.create_index(op.f('ix_message_conversation_id'), 'message', ['conversation_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_audit_event_appointment_id_appointment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_audit_event_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    op.create_index(op.f('ix_audit_event_appointment_id'), 'audit_event', ['appointment_id'], unique=False)
    op.create_index(op.f('ix_audit_event_salon_id'), 'audit_event', ['salon_id'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('salon_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('appointment_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('to_phone', sa.String(length=20), nullable=False),
    sa.Column('from_phone', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=80), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('provider_sid', sa.String(length=64), nullable=True),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_outbox_appointment_id_appointment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_outbox_client_id_client'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conversation_id'], ['conversation.id'], name=op.f('fk_outbox_conversation_id_conversation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['salon_id'], ['salon.id'], name=op.f('fk_outbox_salon_id_salon'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key')),
    sa.UniqueConstraint('provider_sid', name=op.f('uq_outbox_provider_sid'))
    )
    op.create_index(op.f('ix_outbox_client_id'), 'outbox', ['client_id'], unique=False)
    op.create_index(op.f('ix_outbox_salon_id'), 'outbox', ['salon_id'], unique=False)
    op.create_index('ix_outbox_status_due', 'outbox', ['status', 'due_at'], unique=False)

    op.create_table('service_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appointment_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('minutes > 0', name=op.f('ck_service_line_minutes_positive')),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_service_line_appointment_id_appointment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_service_line_service_id_service')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff.id'], name=op.f('fk_service_line_staff_id_staff')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_line'))
    )
    op.create_index(op.f('ix_service_line_appointment_id'), 'service_line', ['appointment_id'], unique=False)
    op.create_index('ix_service_line_staff_starts', 'service_line', ['staff_id', 'starts_at'], unique=False)



def downgrade() -> None:
    # (Dropping a table drops its indexes.)
    op.drop_table('service_line')
    op.drop_table('outbox')
    op.drop_table('audit_event')
    op.drop_table('message')
    op.drop_table('appointment')
    op.drop_table('working_hours')
    op.drop_table('time_off')
    op.drop_table('conversation')
    op.drop_table('appointment_group')
    op.drop_table('staff')
    op.drop_table('sms_number')
    op.drop_table('service')
    op.drop_table('salon_settings')
    op.drop_table('opening_hours')
    op.drop_table('closure')
    op.drop_table('client')
    op.drop_table('salon')
