from . import fenxiao_ranking_board, fenxiao_ranking_board_line
