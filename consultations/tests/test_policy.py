import pytest

from consultations import policy


@pytest.mark.parametrize(
    ("gross", "bps", "commission", "net"),
    [
        (4999, 1750, 875, 4124),  # 874.825 -> 875 (rounded)
        (1, 2000, 0, 1),  # 0.2 -> 0
        (333, 2000, 67, 266),  # 66.6 -> 67
        (25, 2000, 5, 20),  # exactly 5
        (5, 1000, 1, 4),  # 0.5 -> 1: half rounds up
        (15, 1000, 2, 13),  # 1.5 -> 2
        (9000, 2000, 1800, 7200),
        (0, 2000, 0, 0),
        (12345, 0, 0, 12345),
        (12345, 10000, 12345, 0),
    ],
)
def test_commission_rounds_half_up_and_adds_up(gross, bps, commission, net):
    split = policy.split(gross_pence=gross, bps=bps)
    assert (split.commission_pence, split.net_pence) == (commission, net)
    assert split.gross_pence == split.commission_pence + split.net_pence


def test_gross_always_equals_commission_plus_net():
    for gross in range(0, 2000, 7):
        for bps in (0, 1, 999, 1250, 1750, 2000, 3333, 5000, 9999, 10000):
            s = policy.split(gross_pence=gross, bps=bps)
            assert s.gross_pence == s.commission_pence + s.net_pence
            assert 0 <= s.commission_pence <= gross
            # Never more than half a penny from the exact value.
            assert abs(s.commission_pence * 10_000 - gross * bps) <= 5_000


def test_bad_inputs_refused():
    with pytest.raises(ValueError):
        policy.split(gross_pence=-1, bps=2000)
    with pytest.raises(ValueError):
        policy.split(gross_pence=100, bps=10_001)


def test_expert_share_of_refund():
    # A 1,000p refund at 20 %: the platform gives back its 200p, the expert's share is 800p.
    assert policy.expert_share_of_refund(refund_pence=1000, bps=2000) == 800
