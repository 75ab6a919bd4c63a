from . import common, test_leaderboard, test_ranking_board, test_ranking_portal
